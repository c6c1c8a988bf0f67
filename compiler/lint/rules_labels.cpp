// Kubernetes label and taint syntax, over the evaluated node pools of every cluster (so labels
// computed by interpolation are checked too) and the `labels` of resources the module declares.
#include <fmt/format.h>

#include "compiler/lint/label_syntax.h"
#include "compiler/lint/values.h"

namespace kc::lint {

namespace {

void check_pair(Reporter& out, source::Span at, std::string_view what, const std::string& key,
                const std::string& value) {
  if (auto problem = label_key_problem(key)) {
    out.report(Rule::LabelInvalid, at, fmt::format("Kubernetes rejects the {} key `{}`", what, key))
        .with_label(*problem);
  }
  if (auto problem = label_value_problem(value)) {
    out.report(Rule::LabelInvalid, at,
               fmt::format("Kubernetes rejects the value `{}` of {} `{}`", value, what, key))
        .with_label(*problem);
  }
}

void pool_labels(const Context& context, Reporter& out, const Instance& cluster) {
  const sdk::Value* pools = value_at(*cluster.value, {"node_pool"});
  if (pools == nullptr || pools->kind() != sdk::Kind::Map) return;
  for (const auto& [name, pool] : pools->as_map()) {
    const sdk::Value* labels = value_at(pool, {"labels"});
    if (labels != nullptr && labels->kind() == sdk::Kind::Map) {
      for (const auto& [key, value] : labels->as_map()) {
        if (value.kind() != sdk::Kind::String) continue;
        Location at = locate(context, cluster, path_of({"node_pool", name, "labels", key}));
        check_pair(out, at.span, "label", key, value.as_string());
      }
    }
    const sdk::Value* taints = value_at(pool, {"taints"});
    if (taints == nullptr || taints->kind() != sdk::Kind::List) continue;
    const sdk::List& list = taints->as_list();
    for (size_t i = 0; i < list.size(); ++i) {
      std::optional<std::string> key = string_at(list[i], {"key"});
      std::optional<std::string> value = string_at(list[i], {"value"});
      if (!key || !value) continue;
      ValuePath path = path_of({"node_pool", name, "taints"});
      path.push_back(PathStep{std::string(), i});
      Location at = locate(context, cluster, path);
      check_pair(out, at.span, "taint", *key, *value);
    }
  }
}

}  // namespace

void label_rules(const Context& context, Reporter& out) {
  for (const Instance& cluster : find_instances(context, context.prelude_schema("Cluster")))
    pool_labels(context, out, cluster);
  if (context.desired() == nullptr) return;
  for (const eval::DesiredResource& resource : context.desired()->resources) {
    const sdk::Value* labels = value_at(resource.attributes, {"labels"});
    if (labels == nullptr || labels->kind() != sdk::Kind::Map) continue;
    std::optional<source::Span> at = resource_attribute_span(context, resource, "labels");
    if (!at) continue;
    for (const auto& [key, value] : labels->as_map()) {
      if (value.kind() == sdk::Kind::String) check_pair(out, *at, "label", key, value.as_string());
    }
  }
}

}  // namespace kc::lint
