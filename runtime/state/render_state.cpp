// Rendering of the stored state with secrets hidden.
#include "runtime/state/render_state.h"

#include <fmt/format.h>

#include <algorithm>

#include "providers/sdk/json.h"
#include "providers/sdk/literal.h"

namespace kc::state {
namespace {

constexpr const char* kSensitive = "(sensitive)";

bool contains(const std::vector<std::string>& sorted, const std::string& name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

// Rows of `name = value`, aligned on `=`.
std::string aligned(const std::vector<std::pair<std::string, std::string>>& rows,
                    std::string_view indent) {
  size_t width = 0;
  for (const auto& row : rows)
    width = std::max(width, row.first.size());
  std::string out;
  for (const auto& [name, value] : rows)
    out += fmt::format("{}{:<{}} = {}\n", indent, name, width, value);
  return out;
}

}  // namespace

std::string render_state_text(const State& state) {
  if (state.resources.empty() && state.outputs.empty()) {
    return "The state is empty: nothing has been applied.\n";
  }
  std::string out;
  for (const ResourceState& resource : state.resources) {
    if (!out.empty()) out += "\n";
    out += fmt::format("# {} ({})\n", resource.address, resource.type);
    std::vector<std::pair<std::string, std::string>> rows;
    if (resource.attributes.kind() == sdk::Kind::Map) {
      for (const auto& [name, value] : resource.attributes.as_map()) {
        rows.emplace_back(
            name, contains(resource.sensitive, name) ? kSensitive : sdk::kcl_literal(value));
      }
    }
    std::sort(rows.begin(), rows.end());
    out += aligned(rows, "  ");
  }
  if (!state.outputs.empty()) {
    if (!out.empty()) out += "\n";
    out += "Outputs:\n\n";
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& [name, value] : state.outputs) {
      rows.emplace_back(
          name, contains(state.sensitive_outputs, name) ? kSensitive : sdk::kcl_literal(value));
    }
    out += aligned(rows, "");
  }
  return out;
}

nlohmann::ordered_json render_state_json(const State& state) {
  using Json = nlohmann::ordered_json;
  Json resources = Json::array();
  for (const ResourceState& resource : state.resources) {
    Json attributes = Json::object();
    if (resource.attributes.kind() == sdk::Kind::Map) {
      for (const auto& [name, value] : resource.attributes.as_map())
        attributes[name] =
            contains(resource.sensitive, name) ? Json(kSensitive) : sdk::to_json(value);
    }
    resources.push_back(Json{{"address", resource.address},
                             {"type", resource.type},
                             {"provider", resource.provider},
                             {"attributes", std::move(attributes)},
                             {"sensitive", resource.sensitive},
                             {"dependencies", resource.dependencies},
                             {"prevent_destroy", resource.prevent_destroy}});
  }
  Json outputs = Json::object();
  for (const auto& [name, value] : state.outputs)
    outputs[name] =
        contains(state.sensitive_outputs, name) ? Json(kSensitive) : sdk::to_json(value);
  return Json{{"format_version", "1"},
              {"lineage", state.lineage},
              {"serial", state.serial},
              {"resources", std::move(resources)},
              {"outputs", std::move(outputs)}};
}

}  // namespace kc::state
