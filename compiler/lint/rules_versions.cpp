// Kubernetes versions past their end of life, or missing from the release table
// (stdlib/data/kubernetes-releases.yaml).
#include <fmt/format.h>

#include "compiler/lint/values.h"

namespace kc::lint {

void version_rules(const Context& context, Reporter& out) {
  const ReleaseTable* table = context.input().releases;
  if (table == nullptr) return;
  int64_t today = context.input().today;
  if (auto as_of = context.config().option(Rule::KubernetesVersionEol, "as_of")) {
    today = parse_date(*as_of).value_or(today);
  }
  for (const Instance& cluster : find_instances(context, context.prelude_schema("Cluster"))) {
    const sdk::Value* value = value_at(*cluster.value, {"kubernetes"});
    if (value == nullptr || value->kind() != sdk::Kind::Version) continue;
    const sdk::Version& version = value->as_version();
    Location at = locate(context, cluster, path_of({"kubernetes"}));
    const KubernetesRelease* release = table->find(version.major, version.minor);
    const KubernetesRelease* oldest = table->oldest_supported(today);
    std::string supported =
        oldest ? fmt::format("the oldest release supported on {} is {}.{}", format_date(today),
                             oldest->major, oldest->minor)
               : fmt::format(
                     "no release in {} is supported on {}; newer releases may be missing "
                     "from it",
                     table->path, format_date(today));
    if (release == nullptr) {
      out.report(
             Rule::KubernetesVersionEol, at.span,
             fmt::format("Kubernetes {}.{} is not a known release", version.major, version.minor))
          .with_label("not in the release table")
          .with_note(fmt::format("the release table is {}", table->path));
      continue;
    }
    if (release->end_of_life >= today) continue;
    out.report(Rule::KubernetesVersionEol, at.span,
               fmt::format("Kubernetes {}.{} reached its end of life on {}", version.major,
                           version.minor, format_date(release->end_of_life)))
        .with_label("gets no more security fixes")
        .with_note(supported);
  }
}

}  // namespace kc::lint
