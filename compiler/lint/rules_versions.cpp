// Versions: Kubernetes releases past their end of life or missing from the release table
// (stdlib/data/kubernetes-releases.yaml), kubelets outside the version skew policy, upgrades that
// skip or undo a minor version (against the stored state), and addons whose version does not
// support the cluster's Kubernetes (stdlib/data/addon-compatibility.yaml).
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "compiler/lint/values.h"

namespace kc::lint {

namespace {

std::string minor_of(const sdk::Version& version) {
  return fmt::format("{}.{}", version.major, version.minor);
}

void end_of_life(const Context& context, Reporter& out, const Instance& cluster,
                 const sdk::Version& version) {
  const ReleaseTable* table = context.input().releases;
  if (table == nullptr) return;
  int64_t today = context.input().today;
  if (auto as_of = context.config().option(Rule::KubernetesVersionEol, "as_of")) {
    today = parse_date(*as_of).value_or(today);
  }
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
    out.report(Rule::KubernetesVersionEol, at.span,
               fmt::format("Kubernetes {} is not a known release", minor_of(version)))
        .with_label("not in the release table")
        .with_note(fmt::format("the release table is {}", table->path));
    return;
  }
  if (release->end_of_life >= today) return;
  out.report(Rule::KubernetesVersionEol, at.span,
             fmt::format("Kubernetes {} reached its end of life on {}", minor_of(version),
                         format_date(release->end_of_life)))
      .with_label("gets no more security fixes")
      .with_note(supported);
}

// The version skew policy (kubernetes.io/releases/version-skew-policy): a kubelet may be up to 3
// minor versions older than kube-apiserver from 1.28 on, 2 before, and never newer.
int64_t kubelet_lag_allowed(const sdk::Version& apiserver) {
  return std::tie(apiserver.major, apiserver.minor) >= std::make_tuple(int64_t{1}, int64_t{28}) ? 3
                                                                                                : 2;
}

void kubelet_skew(const Context& context, Reporter& out, const Instance& cluster,
                  const sdk::Version& apiserver) {
  const sdk::Value* pools = value_at(*cluster.value, {"node_pool"});
  if (pools == nullptr || pools->kind() != sdk::Kind::Map) return;
  Location server_at = locate(context, cluster, path_of({"kubernetes"}));
  int64_t allowed = kubelet_lag_allowed(apiserver);
  for (const auto& [name, pool] : pools->as_map()) {
    const sdk::Value* value = value_at(pool, {"kubernetes"});
    if (value == nullptr || value->kind() != sdk::Kind::Version) continue;
    const sdk::Version& kubelet = value->as_version();
    bool newer =
        std::tie(kubelet.major, kubelet.minor) > std::tie(apiserver.major, apiserver.minor);
    int64_t lag = kubelet.major == apiserver.major ? apiserver.minor - kubelet.minor : -1;
    if (!newer && lag >= 0 && lag <= allowed) continue;
    Location at = locate(context, cluster, path_of({"node_pool", name, "kubernetes"}));
    diag::Diagnostic* d = nullptr;
    if (newer) {
      d = &out.report(Rule::KubeletVersionSkew, at.span,
                      fmt::format("pool `{}` runs kubelet {}, newer than the control plane's {}",
                                  name, minor_of(kubelet), minor_of(apiserver)))
               .with_label("a kubelet must not be newer than kube-apiserver")
               .with_note(fmt::format("upgrade the control plane (the cluster's `kubernetes`) to "
                                      "{} first, then the pool",
                                      minor_of(kubelet)));
    } else {
      std::string behind = lag < 0 ? std::string("a different major version")
                                   : fmt::format("{} minor versions behind", lag);
      d = &out.report(Rule::KubeletVersionSkew, at.span,
                      fmt::format("pool `{}` runs kubelet {}, {} the control plane's {}", name,
                                  minor_of(kubelet), behind, minor_of(apiserver)))
               .with_label(fmt::format("kube-apiserver {} supports kubelets down to {}.{}",
                                       minor_of(apiserver), apiserver.major,
                                       apiserver.minor - allowed))
               .with_note(fmt::format(
                   "the version skew policy allows kubelets up to {} minor versions older than "
                   "kube-apiserver{}; upgrade the pool to {}.{} or later",
                   allowed, allowed == 3 ? " (2 before 1.28)" : " before 1.28 (3 from 1.28 on)",
                   apiserver.major, apiserver.minor - allowed));
    }
    if (server_at.exact) {
      d->with_secondary(server_at.span,
                        fmt::format("the control plane runs {} here", minor_of(apiserver)));
    }
  }
}

// One version change the state would go through: a resource's stored and desired `kubernetes`.
struct Step {
  std::string address;
  sdk::Version stored;
  sdk::Version desired;

  bool downgrade() const {
    return std::tie(desired.major, desired.minor) < std::tie(stored.major, stored.minor);
  }
  // Minor versions skipped by an upgrade; 0 for an upgrade to the next minor or none.
  int64_t skipped() const {
    if (desired.major != stored.major) return downgrade() ? 0 : 1;
    return desired.minor - stored.minor > 1 ? desired.minor - stored.minor - 1 : 0;
  }
  bool problem() const { return downgrade() || skipped() > 0; }
  // Downgrades first, then the widest skip.
  bool worse_than(const Step& other) const {
    if (downgrade() != other.downgrade()) return downgrade();
    return skipped() > other.skipped();
  }
};

// Where a step is reported: the pool whose own `kubernetes` the resource follows (a pool's
// machines are labelled `<pool>-<index>`), else the cluster's `kubernetes`.
ValuePath step_path(const Instance& cluster, const Step& step) {
  const sdk::Value* pools = value_at(*cluster.value, {"node_pool"});
  if (pools != nullptr && pools->kind() == sdk::Kind::Map) {
    for (const auto& [name, pool] : pools->as_map()) {
      const sdk::Value* version = value_at(pool, {"kubernetes"});
      if (version == nullptr || version->kind() != sdk::Kind::Version ||
          !(version->as_version() == step.desired)) {
        continue;
      }
      std::string label = "[\"" + name + "-";
      if (step.address.find(label) != std::string::npos) {
        return path_of({"node_pool", name, "kubernetes"});
      }
    }
  }
  return path_of({"kubernetes"});
}

void upgrade_steps(const Context& context, Reporter& out, const Instance& cluster) {
  const std::map<std::string, sdk::Value>* stored = context.input().stored;
  if (stored == nullptr) return;
  std::string prefix = cluster.owner + ".";
  std::map<std::string, Step> worst;  // by where it is reported
  std::map<std::string, ValuePath> paths;
  for (const eval::DesiredResource& resource : context.desired()->resources) {
    if (resource.address.rfind(prefix, 0) != 0) continue;
    const sdk::Value* want = value_at(resource.attributes, {"kubernetes"});
    if (want == nullptr || want->kind() != sdk::Kind::Version) continue;
    auto it = stored->find(resource.address);
    if (it == stored->end()) continue;
    const sdk::Value* had = value_at(it->second, {"kubernetes"});
    if (had == nullptr || had->kind() != sdk::Kind::Version) continue;
    Step step{resource.address, had->as_version(), want->as_version()};
    if (!step.problem()) continue;
    ValuePath path = step_path(cluster, step);
    std::string key;
    for (const PathStep& part : path)
      key += part.key + "\n";
    auto [entry, inserted] = worst.emplace(key, step);
    if (!inserted && step.worse_than(entry->second)) entry->second = step;
    paths.emplace(key, std::move(path));
  }
  for (const auto& [key, step] : worst) {
    Location at = locate(context, cluster, paths[key]);
    std::string from = sdk::to_string(step.stored), to = sdk::to_string(step.desired);
    if (step.downgrade()) {
      out.report(
             Rule::UpgradeSkipsMinor, at.span,
             fmt::format("changing Kubernetes from {} to {} downgrades a minor version", from, to))
          .with_label("kubeadm does not downgrade a minor version")
          .with_note(fmt::format("the state holds {} for `{}`; keep {} or later", from,
                                 step.address, minor_of(step.stored)));
      continue;
    }
    std::string next = step.desired.major == step.stored.major
                           ? fmt::format("{}.{}", step.stored.major, step.stored.minor + 1)
                           : fmt::format("the last minor version of {}", step.stored.major);
    out.report(Rule::UpgradeSkipsMinor, at.span,
               fmt::format("upgrading Kubernetes from {} to {} skips a minor version", from, to))
        .with_label("kubeadm upgrades one minor version at a time")
        .with_note(fmt::format("the state holds {} for `{}`; upgrade to {} first, apply, then go "
                               "on to {}",
                               from, step.address, next, minor_of(step.desired)));
  }
}

void addon_support(const Context& context, Reporter& out, const Instance& cluster,
                   const sdk::Version& kubernetes) {
  const AddonCompatibilityTable* table = context.input().addons;
  if (table == nullptr) return;
  const sdk::Value* addons = value_at(*cluster.value, {"addon"});
  if (addons == nullptr || addons->kind() != sdk::Kind::Map) return;
  MinorVersion kube{kubernetes.major, kubernetes.minor};
  for (const auto& [key, addon] : addons->as_map()) {
    const sdk::Value* value = value_at(addon, {"version"});
    if (value == nullptr || value->kind() != sdk::Kind::Version) continue;
    const sdk::Version& version = value->as_version();
    std::string name = string_at(addon, {"name"}).value_or(key);
    const AddonSupport* row = table->find(name, MinorVersion{version.major, version.minor});
    if (row == nullptr || row->supports(kube)) continue;
    std::vector<std::string> fitting;
    for (const AddonSupport& other : *table->rows(name)) {
      if (other.supports(kube)) fitting.push_back(to_string(other.addon));
    }
    Location at = locate(context, cluster, path_of({"addon", key, "version"}));
    out.report(Rule::AddonIncompatible, at.span,
               fmt::format("{} {} does not support Kubernetes {}", name, minor_of(version),
                           to_string(kube)))
        .with_label(
            fmt::format("{} {} supports Kubernetes {}", name, minor_of(version), row->range()))
        .with_note(fmt::format(
            "{} (the table is the standard library's {})",
            fitting.empty() ? fmt::format("no {} version in the table supports Kubernetes {}", name,
                                          to_string(kube))
                            : fmt::format("{} versions that support Kubernetes {}: {}", name,
                                          to_string(kube), fmt::join(fitting, ", ")),
            kAddonTablePath));
  }
}

}  // namespace

void version_rules(const Context& context, Reporter& out) {
  for (const Instance& cluster : find_instances(context, context.prelude_schema("Cluster"))) {
    const sdk::Value* value = value_at(*cluster.value, {"kubernetes"});
    if (value == nullptr || value->kind() != sdk::Kind::Version) continue;
    const sdk::Version& version = value->as_version();
    end_of_life(context, out, cluster, version);
    kubelet_skew(context, out, cluster, version);
    upgrade_steps(context, out, cluster);
    addon_support(context, out, cluster, version);
  }
}

}  // namespace kc::lint
