// SimKind defaults, the shared helpers and the registry of kinds.
#include "providers/sim/kind.h"

#include "providers/sim/sim_schema.h"

namespace kc::sim {

diag::Diagnostic& address_error(diag::Diagnostics& diagnostics, const std::string& address,
                                const std::string& message) {
  return diagnostics.error(diag::Code::E0504, source::Span{}, "`" + address + "`: " + message);
}

diag::Diagnostic& SimContext::error(const std::string& message) const {
  return address_error(diagnostics, address, message);
}

SimKind::SimKind(std::string_view type, std::vector<DerivedOutput> derived)
    : schema_(&resource_schema(type)), derived_(std::move(derived)) {}

void SimKind::check_inputs(const std::string&, const sdk::Value&, diag::Diagnostics&) const {}

void SimKind::before_delete(SimContext&, const SimObject&) const {}

void SimKind::after_create(SimContext&, const SimObject&) const {}

bool SimKind::present(const SimObject&, const std::string&) const {
  return true;
}

bool SimKind::run_action(SimContext& context, std::string_view action, const SimObject*,
                         const sdk::Value&, const sdk::Value&) const {
  context.error("`" + type() + "` has no action `" + std::string(action) + "`");
  return false;
}

const SimKind* find_kind(std::string_view type) {
  static const SimKind* const kAll[] = {
      &machine_kind(),     &network_kind(), &subnet_kind(),      &load_balancer_kind(),
      &etcd_member_kind(), &ca_kind(),      &certificate_kind(), &bootstrap_kind(),
      &join_kind(),        &addon_kind(),   &kubeconfig_kind(),
  };
  for (const SimKind* kind : kAll) {
    if (kind->type() == type) return kind;
  }
  return nullptr;
}

const sdk::Value& attribute_or_null(const sdk::Value& map, std::string_view name) {
  static const sdk::Value kNull;
  const sdk::Value* value = map.kind() == sdk::Kind::Map ? map.find(name) : nullptr;
  return value == nullptr ? kNull : *value;
}

std::string string_attribute(const sdk::Value& map, std::string_view name) {
  const sdk::Value& value = attribute_or_null(map, name);
  return value.kind() == sdk::Kind::String ? value.as_string() : std::string();
}

void require_not_empty(const std::string& address, const sdk::Value& known, std::string_view name,
                       diag::Diagnostics& diagnostics) {
  const sdk::Value& value = attribute_or_null(known, name);
  if (value.kind() == sdk::Kind::String && value.as_string().empty()) {
    address_error(diagnostics, address, "attribute `" + std::string(name) + "` must not be empty");
  }
}

}  // namespace kc::sim
