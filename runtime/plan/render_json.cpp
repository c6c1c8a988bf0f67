// JSON rendering of a Plan.
#include "runtime/plan/render_json.h"

#include <algorithm>

#include "providers/sdk/json.h"

namespace kc::plan {
namespace {

using Json = nlohmann::ordered_json;

Json attributes(const sdk::Value& value, const std::vector<std::string>& sensitive) {
  if (value.is_null()) return nullptr;
  Json json = sdk::to_json(value);
  if (!json.is_object()) return json;
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (std::binary_search(sensitive.begin(), sensitive.end(), it.key()) && !it.value().is_null()) {
      it.value() = "(sensitive)";
    }
  }
  return json;
}

Json strings(const std::vector<std::string>& list) {
  Json json = Json::array();
  for (const std::string& s : list)
    json.push_back(s);
  return json;
}

}  // namespace

nlohmann::ordered_json render_plan_json(const Plan& plan) {
  Json changes = Json::array();
  for (const ResourceChange& c : plan.changes) {
    Json change{{"address", c.address},
                {"type", c.type},
                {"action", std::string(action_name(c.action))},
                {"before", attributes(c.before, c.sensitive)},
                {"after", attributes(c.after, c.sensitive)},
                {"after_unknown", strings(c.after_unknown)},
                {"replace_because", strings(c.replace_because)}};
    // Only the delete of a deposed object says so, so other changes print as before.
    if (!c.deposed.empty()) change["deposed"] = c.deposed;
    changes.push_back(std::move(change));
  }
  Json steps = Json::array();
  for (const Step& s : plan.steps) {
    Json depends_on = Json::array();
    for (int id : s.depends_on)
      depends_on.push_back(id);
    Json step{{"id", s.id},           {"kind", std::string(step_kind_name(s.kind))},
              {"address", s.address}, {"action", s.action},
              {"wave", s.wave},       {"depends_on", std::move(depends_on)}};
    if (s.kind == StepKind::Action) step["hook"] = s.hook;
    if (!s.deposed.empty()) step["deposed"] = s.deposed;
    steps.push_back(std::move(step));
  }
  Json waves = Json::array();
  for (const Wave& w : plan.waves) {
    waves.push_back(Json{{"number", w.number},
                         {"group", w.group},
                         {"index", w.index},
                         {"count", w.count},
                         {"members", w.members},
                         {"max_surge", w.surge},
                         {"max_unavailable", w.unavailable},
                         {"quorum", w.quorum},
                         {"addresses", strings(w.addresses)}});
  }
  const Summary& s = plan.summary;
  Json json{{"format_version", "1"},
            {"summary", Json{{"create", s.create},
                             {"update", s.update},
                             {"replace", s.replace},
                             {"delete", s.destroy},
                             {"unchanged", s.unchanged}}},
            {"changes", std::move(changes)},
            {"steps", std::move(steps)},
            {"diagnostics", Json::array()}};
  // Only plans with rollout waves describe them, so other plans print as before.
  if (!waves.empty()) json["waves"] = std::move(waves);
  return json;
}

}  // namespace kc::plan
