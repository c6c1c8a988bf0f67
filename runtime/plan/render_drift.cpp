// Text and JSON rendering of drift.
#include "runtime/plan/render_drift.h"

#include <algorithm>

#include "providers/sdk/json.h"
#include "providers/sdk/literal.h"

namespace kc::plan {
namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kYellow = "\x1b[33m";

std::string paint(bool color, std::string_view text, const char* code) {
  if (!color) return std::string(text);
  return std::string(code) + std::string(text) + kReset;
}

bool secret(const Drift& d, const std::string& name) {
  return std::binary_search(d.sensitive.begin(), d.sensitive.end(), name);
}

const sdk::Value& attribute(const sdk::Value& map, const std::string& name) {
  static const sdk::Value kNull;
  const sdk::Value* v = map.kind() == sdk::Kind::Map ? map.find(name) : nullptr;
  return v ? *v : kNull;
}

std::string shown(const Drift& d, const std::string& name, const sdk::Value& value) {
  if (value.is_null()) return "null";
  return secret(d, name) ? "(sensitive)" : sdk::kcl_literal(value);
}

// "sim.machine" "web" for `prod.sim.machine["web"]`.
std::string resource_words(const Drift& d) {
  std::string label = d.address;
  std::string opening = d.type + "[\"";
  size_t at = d.address.rfind(opening);
  if (at != std::string::npos && d.address.size() >= at + opening.size() + 2 &&
      d.address.compare(d.address.size() - 2, 2, "\"]") == 0) {
    label = d.address.substr(at + opening.size(), d.address.size() - 2 - (at + opening.size()));
  }
  return "\"" + d.type + "\" \"" + label + "\"";
}

void render_one(std::string& out, const Drift& d, bool color) {
  bool gone = d.action == Action::Delete;
  bool made = d.action == Action::Create;  // adopted from a pending create
  out += "  # " + paint(color, d.address, kBold) +
         (gone   ? " has been deleted outside kc\n"
          : made ? (d.before.is_null() ? " was created by an interrupted apply\n"
                                       : " was created by an interrupted apply in place of the "
                                         "stored object (which may still exist)\n")
                 : " has changed outside kc\n");
  out += "  " +
         (gone   ? paint(color, "-", kRed)
          : made ? paint(color, "+", kYellow)
                 : paint(color, "~", kYellow)) +
         " resource " + resource_words(d) + " {\n";
  size_t width = 0;
  for (const std::string& name : d.changed)
    width = std::max(width, name.size());
  for (const std::string& name : d.changed) {
    const sdk::Value& before = attribute(d.before, name);
    const sdk::Value& after = attribute(d.after, name);
    std::string symbol = gone || after.is_null() ? paint(color, "-", kRed)
                         : before.is_null()      ? paint(color, "+", kYellow)
                                                 : paint(color, "~", kYellow);
    out += "      " + symbol + " " + name + std::string(width - name.size(), ' ') + " = " +
           (before.is_null() ? shown(d, name, after)
                             : shown(d, name, before) + " -> " + shown(d, name, after)) +
           "\n";
  }
  out += "    }\n\n";
}

}  // namespace

std::string render_drift_text(const std::vector<Drift>& drift, bool color) {
  if (drift.empty()) return "";
  std::string out =
      paint(color, "Objects changed outside kc since the last apply:", kBold) + "\n\n";
  for (const Drift& d : drift)
    render_one(out, d, color);
  out +=
      "Unless the configuration already says so (or lifecycle.ignore_changes covers them), the "
      "plan below undoes these changes.\n\n";
  return out;
}

nlohmann::ordered_json render_drift_json(const std::vector<Drift>& drift) {
  using Json = nlohmann::ordered_json;
  auto attributes = [](const Drift& d, const sdk::Value& value) -> Json {
    if (value.is_null()) return nullptr;
    Json json = sdk::to_json(value);
    if (!json.is_object()) return json;
    for (auto it = json.begin(); it != json.end(); ++it) {
      if (secret(d, it.key()) && !it.value().is_null()) it.value() = "(sensitive)";
    }
    return json;
  };
  Json out = Json::array();
  for (const Drift& d : drift) {
    out.push_back(Json{{"address", d.address},
                       {"type", d.type},
                       {"action", std::string(action_name(d.action))},
                       {"before", attributes(d, d.before)},
                       {"after", attributes(d, d.after)}});
  }
  return out;
}

}  // namespace kc::plan
