// Cluster networks: overlapping CIDRs (with each other and with subnets the module declares), pod
// and service CIDRs too small (or too large) for the cluster, and network features the chosen
// plugin lacks (stdlib/data/network-plugins.yaml).
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "compiler/eval/net.h"
#include "compiler/lint/values.h"

namespace kc::lint {

namespace {

struct Net {
  const char* field;  // `pod_cidr`
  sdk::Cidr cidr;
};

std::string text(const sdk::Cidr& cidr) {
  return sdk::to_string(cidr);
}

void overlaps(const Context& context, Reporter& out, const Instance& cluster,
              const std::vector<Net>& nets) {
  for (size_t i = 0; i < nets.size(); ++i) {
    for (size_t j = i + 1; j < nets.size(); ++j) {
      if (!eval::net::overlaps(nets[i].cidr, nets[j].cidr)) continue;
      // The finding points at the range the module set (the later one when both are set); the
      // other is shown where it is set, or named as the default.
      const Net* a = &nets[i];
      const Net* b = &nets[j];
      Location at_a = locate(context, cluster, path_of({"network", a->field}));
      Location at_b = locate(context, cluster, path_of({"network", b->field}));
      if (!at_b.exact && at_a.exact) {
        std::swap(a, b);
        std::swap(at_a, at_b);
      }
      diag::Diagnostic& d = out.report(Rule::CidrOverlap, at_b.span,
                                       fmt::format("`{}` {} overlaps `{}` {}", b->field,
                                                   text(b->cidr), a->field, text(a->cidr)));
      if (!at_b.exact) {
        d.with_label(fmt::format("both ranges are defaults: `{}` is {} and `{}` is {}", a->field,
                                 text(a->cidr), b->field, text(b->cidr)));
      } else if (at_a.exact) {
        d.with_secondary(at_a.span, fmt::format("`{}` is set here", a->field));
      } else {
        d.with_note(fmt::format("`{}` is {} by default", a->field, text(a->cidr)));
      }
    }
  }
  // Subnets and networks the module declares itself must stay clear of pod and service ranges.
  for (const eval::DesiredResource& resource : context.desired()->resources) {
    const sdk::Value* cidr = value_at(resource.attributes, {"cidr"});
    if (cidr == nullptr || cidr->kind() != sdk::Kind::Cidr) continue;
    std::optional<source::Span> at = resource_attribute_span(context, resource, "cidr");
    if (!at) continue;
    for (const Net& net : nets) {
      if (std::string_view(net.field) == "node_cidr") continue;
      if (!eval::net::overlaps(net.cidr, cidr->as_cidr())) continue;
      Location where = locate(context, cluster, path_of({"network", net.field}));
      diag::Diagnostic& d =
          out.report(Rule::CidrOverlap, *at,
                     fmt::format("`cidr` {} of `{}` overlaps the `{}` of cluster `{}`",
                                 text(cidr->as_cidr()), resource.address, net.field,
                                 string_at(*cluster.value, {"name"}).value_or("?")));
      if (where.exact) {
        d.with_secondary(where.span, fmt::format("`{}` is {} here", net.field, text(net.cidr)));
      } else {
        d.with_note(fmt::format("`{}` is {} by default", net.field, text(net.cidr)));
      }
    }
  }
}

int address_bits(const sdk::Cidr& cidr) {
  return eval::net::address_bits(cidr.address);
}

// 2^bits, saturated well below overflow.
int64_t power_of_two(int bits) {
  return bits >= 62 ? (int64_t{1} << 62) : (int64_t{1} << std::max(bits, 0));
}

// The longest pod CIDR prefix that still gives `nodes` ranges of `/mask`.
int widest_needed(int mask, int64_t nodes) {
  int prefix = mask;
  while (prefix > 0 && power_of_two(mask - prefix) < nodes)
    --prefix;
  return prefix;
}

int64_t node_capacity(const sdk::Value& cluster) {
  int64_t nodes = int_at(cluster, {"control_plane", "replicas"}).value_or(0);
  const sdk::Value* pools = value_at(cluster, {"node_pool"});
  if (pools == nullptr || pools->kind() != sdk::Kind::Map) return nodes;
  for (const auto& [name, pool] : pools->as_map()) {
    int64_t replicas = int_at(pool, {"replicas"}).value_or(0);
    int64_t most = int_at(pool, {"autoscale", "max"}).value_or(0);
    nodes += std::max(replicas, most);
  }
  return nodes;
}

void pod_cidr(const Context& context, Reporter& out, const Instance& cluster,
              const sdk::Cidr& pods) {
  bool v6 = address_bits(pods) == 128;
  int mask =
      static_cast<int>(v6 ? context.config().int_option(Rule::PodCidrTooSmall, "node_mask_v6", 64)
                          : context.config().int_option(Rule::PodCidrTooSmall, "node_mask_v4", 24));
  int64_t nodes = node_capacity(*cluster.value);
  Location at = locate(context, cluster, path_of({"network", "pod_cidr"}));
  if (pods.prefix > mask) {
    out.report(Rule::PodCidrTooSmall, at.span,
               fmt::format("`pod_cidr` {} is narrower than one node's /{} range", text(pods), mask))
        .with_label("no node gets pod addresses")
        .with_note(fmt::format("each node takes a /{} from the pod CIDR", mask));
    return;
  }
  int64_t capacity = power_of_two(mask - pods.prefix);
  if (nodes <= capacity) return;
  out.report(Rule::PodCidrTooSmall, at.span,
             fmt::format("`pod_cidr` {} has room for {} nodes, but the cluster can have {}",
                         text(pods), capacity, nodes))
      .with_label(fmt::format("{} ranges of /{}", capacity, mask))
      .with_note(fmt::format("each node takes a /{}: {} nodes need a /{} or wider", mask, nodes,
                             widest_needed(mask, nodes)));
}

void service_cidr(const Context& context, Reporter& out, const Instance& cluster,
                  const sdk::Cidr& services) {
  int bits = address_bits(services);
  int64_t addresses = power_of_two(bits - services.prefix);
  int64_t least = context.config().int_option(Rule::ServiceCidrTooSmall, "min_addresses", 256);
  Location at = locate(context, cluster, path_of({"network", "service_cidr"}));
  if (addresses < least) {
    out.report(Rule::ServiceCidrTooSmall, at.span,
               fmt::format("`service_cidr` {} holds {} addresses, fewer than {}", text(services),
                           addresses, least))
        .with_label("each ClusterIP Service takes one")
        .with_note("the API server's `kubernetes` Service and cluster DNS take the first ones");
  }
  int widest = bits == 128 ? 108 : 12;
  if (services.prefix < widest) {
    out.report(Rule::ServiceCidrTooLarge, at.span,
               fmt::format("`service_cidr` {} is wider than /{}, which kube-apiserver refuses",
                           text(services), widest))
        .with_label(fmt::format("use a prefix of /{} or longer", widest));
  }
}

// A `Network` switch that needs the plugin's support: the field, which is also the feature's name
// in the plugin table, and what the plugin must do.
struct PluginFeature {
  const char* field;
  const char* what;  // "enforce NetworkPolicy objects"
};
constexpr PluginFeature kPluginFeatures[] = {
    {"network_policy", "enforce NetworkPolicy objects"},
};

void plugin_features(const Context& context, Reporter& out, const Instance& cluster) {
  const NetworkPluginTable* table = context.input().plugins;
  if (table == nullptr) return;
  std::optional<std::string> plugin = string_at(*cluster.value, {"network", "plugin"});
  if (!plugin) return;
  const NetworkPluginInfo* info = table->find(*plugin);
  if (info == nullptr) return;
  for (const PluginFeature& feature : kPluginFeatures) {
    const sdk::Value* wanted = value_at(*cluster.value, {"network", feature.field});
    if (wanted == nullptr || wanted->kind() != sdk::Kind::Bool || !wanted->as_bool()) continue;
    auto known = info->features.find(feature.field);
    if (known == info->features.end() || known->second) continue;  // supported, or not known
    Location at = locate(context, cluster, path_of({"network", feature.field}));
    Location plugin_at = locate(context, cluster, path_of({"network", "plugin"}));
    diag::Diagnostic& d =
        out.report(Rule::NetworkPluginFeature, at.span,
                   fmt::format("network plugin `{}` does not {}", *plugin, feature.what))
            .with_label(fmt::format("`{} = true` needs a plugin that does", feature.field));
    if (plugin_at.exact) {
      d.with_secondary(plugin_at.span, fmt::format("`{}` is chosen here", *plugin));
    }
    std::vector<std::string> supporting = table->supporting(feature.field);
    d.with_note(
        supporting.empty()
            ? fmt::format("no plugin in the standard library's {} does", kNetworkPluginTablePath)
            : fmt::format("plugins that do: {} (the plugin table is the standard "
                          "library's {})",
                          fmt::join(supporting, ", "), kNetworkPluginTablePath));
  }
}

}  // namespace

void network_rules(const Context& context, Reporter& out) {
  for (const Instance& cluster : find_instances(context, context.prelude_schema("Cluster"))) {
    std::vector<Net> nets;
    for (const char* field : {"node_cidr", "pod_cidr", "service_cidr"}) {
      if (auto cidr = cidr_at(*cluster.value, {"network", field}))
        nets.push_back(Net{field, *cidr});
    }
    overlaps(context, out, cluster, nets);
    if (auto pods = cidr_at(*cluster.value, {"network", "pod_cidr"})) {
      pod_cidr(context, out, cluster, *pods);
    }
    if (auto services = cidr_at(*cluster.value, {"network", "service_cidr"})) {
      service_cidr(context, out, cluster, *services);
    }
    plugin_features(context, out, cluster);
  }
}

}  // namespace kc::lint
