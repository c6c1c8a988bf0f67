// Encoding and strict decoding of saved plan files.
#include "runtime/plan/plan_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

#include "compiler/eval/encoding.h"
#include "runtime/plan/exact_value.h"
#include "support/files.h"

namespace kc::plan {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

Json span_json(const source::Span& span, const source::SourceManager* sources) {
  if (sources == nullptr || !span.valid() || span.file >= sources->size()) return nullptr;
  return Json{{"file", absolute_path(sources->file(span.file).path())},
              {"begin", span.begin},
              {"end", span.end}};
}

Json bound_json(const std::optional<eval::RolloutBound>& bound) {
  if (!bound) return nullptr;
  return Json{{"percent", bound->percent}, {"amount", bound->amount}};
}

Json rollout_json(const eval::Rollout& r) {
  return Json{{"group", r.group},
              {"max_surge", bound_json(r.max_surge)},
              {"max_unavailable", bound_json(r.max_unavailable)},
              {"quorum", r.quorum}};
}

Json wave_json(const Wave& w) {
  return Json{{"number", w.number},
              {"group", w.group},
              {"index", w.index},
              {"count", w.count},
              {"members", w.members},
              {"surge", w.surge},
              {"unavailable", w.unavailable},
              {"quorum", w.quorum},
              {"serving", w.serving},
              {"existing", w.existing},
              {"addresses", w.addresses}};
}

Json change_json(const ResourceChange& c, const source::SourceManager* sources) {
  Json json{{"address", c.address},
            {"type", c.type},
            {"provider", c.provider},
            {"action", action_name(c.action)},
            {"before", exact_json(c.before)},
            {"after", exact_json(c.after)},
            {"after_unknown", c.after_unknown},
            {"replace_because", c.replace_because},
            {"depends_on", c.depends_on},
            {"changed", c.changed},
            {"sensitive", c.sensitive},
            {"create_before_destroy", c.create_before_destroy},
            {"prevent_destroy", c.prevent_destroy},
            {"rollout", rollout_json(c.rollout)},
            {"hooks", c.hooks},
            {"span", span_json(c.span, sources)}};
  // Only on the delete of a deposed object (absent = the address's current object).
  if (!c.deposed.empty()) json["deposed"] = c.deposed;
  return json;
}

Json drift_json(const Drift& d) {
  return Json{{"address", d.address},
              {"type", d.type},
              {"action", action_name(d.action)},
              {"before", exact_json(d.before)},
              {"after", exact_json(d.after)},
              {"changed", d.changed},
              {"sensitive", d.sensitive}};
}

Json step_json(const Step& s) {
  Json json{{"id", s.id},
            {"kind", step_kind_name(s.kind)},
            {"address", s.address},
            {"action", s.action},
            {"hook", s.hook},
            {"wave", s.wave},
            {"depends_on", s.depends_on}};
  if (!s.deposed.empty()) json["deposed"] = s.deposed;
  return json;
}

// Reads fields of JSON objects, keeping the first problem (with the path to it) and refusing
// everything after it, so callers check once at the end.
class Reader {
 public:
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void fail(const std::string& path, const std::string& message) {
    if (ok()) error_ = path.empty() ? message : fmt::format("`{}`: {}", path, message);
  }

  const Json* field(const Json& object, const std::string& path, const char* key) {
    if (!ok()) return nullptr;
    if (!object.is_object()) {
      fail(path, "expected an object");
      return nullptr;
    }
    auto it = object.find(key);
    if (it == object.end()) {
      fail(path, fmt::format("missing `{}`", key));
      return nullptr;
    }
    return &*it;
  }

  std::string string(const Json& object, const std::string& path, const char* key) {
    const Json* j = field(object, path, key);
    if (j == nullptr) return {};
    if (!j->is_string()) fail(join(path, key), "expected a string");
    return ok() ? j->get<std::string>() : std::string();
  }

  // A string that may be absent (then empty); present, it must be a non-empty string.
  std::string optional_string(const Json& object, const std::string& path, const char* key) {
    if (!ok() || !object.is_object() || !object.contains(key)) return {};
    std::string text = string(object, path, key);
    if (ok() && text.empty()) fail(join(path, key), "expected a non-empty string");
    return text;
  }

  bool boolean(const Json& object, const std::string& path, const char* key) {
    const Json* j = field(object, path, key);
    if (j == nullptr) return false;
    if (!j->is_boolean()) fail(join(path, key), "expected true or false");
    return ok() && j->get<bool>();
  }

  int64_t integer(const Json& object, const std::string& path, const char* key, int64_t min,
                  int64_t max) {
    const Json* j = field(object, path, key);
    if (j == nullptr) return 0;
    bool fits = j->is_number_integer() &&
                !(j->is_number_unsigned() &&
                  j->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
    if (fits) {
      auto n = j->get<int64_t>();
      if (n >= min && n <= max) return n;
    }
    fail(join(path, key), fmt::format("expected an integer from {} to {}", min, max));
    return 0;
  }

  double number(const Json& object, const std::string& path, const char* key) {
    const Json* j = field(object, path, key);
    if (j == nullptr) return 0;
    if (!j->is_number()) fail(join(path, key), "expected a number");
    return ok() ? j->get<double>() : 0;
  }

  std::vector<std::string> strings(const Json& object, const std::string& path, const char* key) {
    return strings_in(field(object, path, key), join(path, key));
  }

  std::vector<std::string> strings_in(const Json* j, const std::string& path) {
    std::vector<std::string> out;
    if (j == nullptr) return out;
    if (!j->is_array()) {
      fail(path, "expected an array of strings");
      return out;
    }
    for (const Json& item : *j) {
      if (!item.is_string()) {
        fail(path, "expected an array of strings");
        return {};
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  const Json* array(const Json& object, const std::string& path, const char* key) {
    const Json* j = field(object, path, key);
    if (j != nullptr && !j->is_array()) fail(join(path, key), "expected an array");
    return ok() ? j : nullptr;
  }

  sdk::Value value(const Json& object, const std::string& path, const char* key) {
    const Json* j = field(object, path, key);
    if (j == nullptr) return {};
    std::string problem;
    std::optional<sdk::Value> v = exact_value(*j, &problem);
    if (!v) {
      fail(join(path, key), problem);
      return {};
    }
    return std::move(*v);
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : fmt::format("{}.{}", path, key);
  }
  static std::string index(const std::string& path, size_t i) {
    return fmt::format("{}[{}]", path, i);
  }

 private:
  std::string error_;
};

source::Span read_span(Reader& r, const Json& change, const std::string& path,
                       const source::SourceManager* sources) {
  const Json* j = r.field(change, path, "span");
  if (j == nullptr || j->is_null()) return {};
  std::string where = Reader::join(path, "span");
  std::string file = r.string(*j, where, "file");
  int64_t begin = r.integer(*j, where, "begin", 0, std::numeric_limits<uint32_t>::max());
  int64_t end = r.integer(*j, where, "end", begin, std::numeric_limits<uint32_t>::max());
  if (!r.ok() || sources == nullptr) return {};
  for (source::FileId id = 0; id < sources->size(); ++id) {
    const source::SourceFile& candidate = sources->file(id);
    if (absolute_path(candidate.path()) != file) continue;
    if (static_cast<size_t>(end) > candidate.text().size()) return {};
    return source::Span{id, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  }
  return {};
}

std::optional<eval::RolloutBound> read_bound(Reader& r, const Json& rollout,
                                             const std::string& path, const char* key) {
  const Json* j = r.field(rollout, path, key);
  if (j == nullptr || j->is_null()) return std::nullopt;
  std::string where = Reader::join(path, key);
  eval::RolloutBound bound;
  bound.percent = r.boolean(*j, where, "percent");
  bound.amount = r.number(*j, where, "amount");
  return bound;
}

eval::Rollout read_rollout(Reader& r, const Json& change, const std::string& path) {
  eval::Rollout rollout;
  const Json* j = r.field(change, path, "rollout");
  if (j == nullptr) return rollout;
  std::string where = Reader::join(path, "rollout");
  rollout.group = r.string(*j, where, "group");
  rollout.max_surge = read_bound(r, *j, where, "max_surge");
  rollout.max_unavailable = read_bound(r, *j, where, "max_unavailable");
  rollout.quorum = r.boolean(*j, where, "quorum");
  return rollout;
}

std::map<std::string, std::vector<std::string>> read_hooks(Reader& r, const Json& change,
                                                           const std::string& path) {
  std::map<std::string, std::vector<std::string>> hooks;
  const Json* j = r.field(change, path, "hooks");
  if (j == nullptr) return hooks;
  std::string where = Reader::join(path, "hooks");
  if (!j->is_object()) {
    r.fail(where, "expected an object");
    return hooks;
  }
  for (const auto& [event, actions] : j->items())
    hooks[event] = r.strings_in(&actions, Reader::join(where, event));
  return hooks;
}

Wave read_wave(Reader& r, const Json& j, const std::string& path) {
  constexpr int64_t kMax = std::numeric_limits<int>::max();
  auto count = [&](const char* key) { return static_cast<int>(r.integer(j, path, key, 0, kMax)); };
  Wave w;
  w.number = count("number");
  w.group = r.string(j, path, "group");
  w.index = count("index");
  w.count = count("count");
  w.members = count("members");
  w.surge = count("surge");
  w.unavailable = count("unavailable");
  w.quorum = r.boolean(j, path, "quorum");
  w.serving = count("serving");
  w.existing = count("existing");
  w.addresses = r.strings(j, path, "addresses");
  return w;
}

Action read_action(Reader& r, const Json& j, const std::string& path) {
  std::string action = r.string(j, path, "action");
  if (!r.ok()) return Action::NoOp;
  if (auto parsed = parse_action(action)) return *parsed;
  r.fail(Reader::join(path, "action"), fmt::format("unknown action `{}`", action));
  return Action::NoOp;
}

Drift read_drift(Reader& r, const Json& j, const std::string& path) {
  Drift d;
  d.address = r.string(j, path, "address");
  d.type = r.string(j, path, "type");
  d.action = read_action(r, j, path);
  // Create: adopted from a create an interrupted apply left pending (refresh.h adopt_pending).
  if (r.ok() && d.action != Action::Update && d.action != Action::Delete &&
      d.action != Action::Create) {
    r.fail(Reader::join(path, "action"), "drift is an update, a delete or a create");
  }
  d.before = r.value(j, path, "before");
  d.after = r.value(j, path, "after");
  d.changed = r.strings(j, path, "changed");
  d.sensitive = r.strings(j, path, "sensitive");
  return d;
}

ResourceChange read_change(Reader& r, const Json& j, const std::string& path,
                           const source::SourceManager* sources) {
  ResourceChange c;
  c.address = r.string(j, path, "address");
  c.type = r.string(j, path, "type");
  c.provider = r.string(j, path, "provider");
  c.action = read_action(r, j, path);
  c.before = r.value(j, path, "before");
  c.after = r.value(j, path, "after");
  c.after_unknown = r.strings(j, path, "after_unknown");
  c.replace_because = r.strings(j, path, "replace_because");
  c.depends_on = r.strings(j, path, "depends_on");
  c.changed = r.strings(j, path, "changed");
  c.sensitive = r.strings(j, path, "sensitive");
  c.create_before_destroy = r.boolean(j, path, "create_before_destroy");
  c.prevent_destroy = r.boolean(j, path, "prevent_destroy");
  c.rollout = read_rollout(r, j, path);
  c.hooks = read_hooks(r, j, path);
  c.span = read_span(r, j, path, sources);
  c.deposed = r.optional_string(j, path, "deposed");
  return c;
}

Step read_step(Reader& r, const Json& j, const std::string& path, int count) {
  Step s;
  s.id = static_cast<int>(r.integer(j, path, "id", 0, count - 1));
  std::string kind = r.string(j, path, "kind");
  if (r.ok()) {
    if (auto parsed = parse_step_kind(kind)) {
      s.kind = *parsed;
    } else {
      r.fail(Reader::join(path, "kind"), fmt::format("unknown step kind `{}`", kind));
    }
  }
  s.address = r.string(j, path, "address");
  s.action = r.string(j, path, "action");
  s.hook = r.string(j, path, "hook");
  s.wave = static_cast<int>(r.integer(j, path, "wave", 0, std::numeric_limits<int>::max()));
  s.deposed = r.optional_string(j, path, "deposed");
  const Json* deps = r.array(j, path, "depends_on");
  for (size_t i = 0; deps != nullptr && r.ok() && i < deps->size(); ++i) {
    const Json& dep = (*deps)[i];
    // Steps are in a topological order: a step depends only on earlier ones.
    if (!dep.is_number_integer() || dep.get<int64_t>() < 0 || dep.get<int64_t>() >= s.id) {
      r.fail(Reader::index(Reader::join(path, "depends_on"), i),
             "expected the id of an earlier step");
      break;
    }
    s.depends_on.push_back(static_cast<int>(dep.get<int64_t>()));
  }
  return s;
}

Plan read_plan(Reader& r, const Json& j, const source::SourceManager* sources) {
  Plan plan;
  const std::string path = "plan";
  plan.destroy = r.boolean(j, path, "destroy");
  if (const Json* summary = r.field(j, path, "summary")) {
    std::string where = Reader::join(path, "summary");
    constexpr int64_t kMax = std::numeric_limits<int>::max();
    plan.summary.create = static_cast<int>(r.integer(*summary, where, "create", 0, kMax));
    plan.summary.update = static_cast<int>(r.integer(*summary, where, "update", 0, kMax));
    plan.summary.replace = static_cast<int>(r.integer(*summary, where, "replace", 0, kMax));
    plan.summary.destroy = static_cast<int>(r.integer(*summary, where, "delete", 0, kMax));
    plan.summary.unchanged = static_cast<int>(r.integer(*summary, where, "unchanged", 0, kMax));
  }
  if (const Json* changes = r.array(j, path, "changes")) {
    std::string where = Reader::join(path, "changes");
    for (size_t i = 0; r.ok() && i < changes->size(); ++i) {
      plan.changes.push_back(read_change(r, (*changes)[i], Reader::index(where, i), sources));
      // Plan::find relies on the order.
      if (r.ok() && i > 0 && !change_before(plan.changes[i - 1], plan.changes[i])) {
        r.fail(Reader::index(where, i),
               "changes must be sorted by address (and deposed key), without repeats");
      }
    }
  }
  if (const Json* waves = r.array(j, path, "waves")) {
    std::string where = Reader::join(path, "waves");
    for (size_t i = 0; r.ok() && i < waves->size(); ++i) {
      plan.waves.push_back(read_wave(r, (*waves)[i], Reader::index(where, i)));
      if (r.ok() && plan.waves.back().number != static_cast<int>(i) + 1) {
        r.fail(Reader::index(where, i), "waves must be numbered 1, 2, ... in order");
      }
    }
  }
  if (const Json* steps = r.array(j, path, "steps")) {
    std::string where = Reader::join(path, "steps");
    auto count = static_cast<int>(std::min<size_t>(steps->size(), std::numeric_limits<int>::max()));
    for (int i = 0; r.ok() && i < count; ++i) {
      Step step = read_step(r, (*steps)[static_cast<size_t>(i)], Reader::index(where, i), count);
      if (r.ok() && step.id != i) r.fail(Reader::index(where, i), "steps must be in id order");
      if (r.ok() && step.wave > static_cast<int>(plan.waves.size())) {
        r.fail(Reader::index(where, i), "the step's wave is not in the plan's waves");
      }
      if (r.ok() && plan.find(step.address, step.deposed) == nullptr) {
        r.fail(Reader::index(where, i),
               step.deposed.empty()
                   ? fmt::format("the step's address `{}` has no change", step.address)
                   : fmt::format("the step's deposed object `{}` ({}) has no change", step.address,
                                 step.deposed));
      }
      plan.steps.push_back(std::move(step));
    }
  }
  return plan;
}

}  // namespace

std::string inputs_digest(const std::vector<PlanInput>& inputs) {
  Json all = Json::array();
  for (const PlanInput& input : inputs)
    all.push_back(Json{{"name", input.name}, {"value", exact_json(input.value)}});
  return eval::sha256_hex(all.dump());
}

Json plan_file_to_json(const PlanFile& file, const source::SourceManager* sources) {
  Json sources_json = Json::array();
  for (const SourceDigest& s : file.sources)
    sources_json.push_back(Json{{"path", s.path}, {"sha256", s.sha256}});
  Json inputs_json = Json::array();
  for (const PlanInput& input : file.inputs) {
    inputs_json.push_back(
        Json{{"name", input.name}, {"value", exact_json(input.value)}, {"origin", input.origin}});
  }
  Json changes = Json::array();
  for (const ResourceChange& c : file.plan.changes)
    changes.push_back(change_json(c, sources));
  Json steps = Json::array();
  for (const Step& s : file.plan.steps)
    steps.push_back(step_json(s));
  Json waves = Json::array();
  for (const Wave& w : file.plan.waves)
    waves.push_back(wave_json(w));
  Json drift = Json::array();
  for (const Drift& d : file.drift)
    drift.push_back(drift_json(d));
  const Summary& sum = file.plan.summary;
  return Json{{"format", kPlanFileFormat},
              {"format_version", kPlanFileVersion},
              {"kc_version", file.kc_version},
              {"state", Json{{"lineage", file.lineage}, {"serial", file.serial}}},
              {"module", file.module},
              {"module_dir", file.module_dir},
              {"sources", std::move(sources_json)},
              {"inputs", std::move(inputs_json)},
              {"inputs_sha256", file.inputs_sha256},
              {"drift", std::move(drift)},
              {"plan", Json{{"destroy", file.plan.destroy},
                            {"summary", Json{{"create", sum.create},
                                             {"update", sum.update},
                                             {"replace", sum.replace},
                                             {"delete", sum.destroy},
                                             {"unchanged", sum.unchanged}}},
                            {"changes", std::move(changes)},
                            {"waves", std::move(waves)},
                            {"steps", std::move(steps)}}}};
}

std::string encode_plan_file(const PlanFile& file, const source::SourceManager* sources) {
  return plan_file_to_json(file, sources).dump(2) + "\n";
}

bool looks_like_plan_file(std::string_view text) {
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return false;
  auto it = json.find("format");
  return it != json.end() && it->is_string() && it->get<std::string>() == kPlanFileFormat;
}

std::optional<PlanFile> decode_plan_file(std::string_view text, std::string_view origin,
                                         diag::Diagnostics& diags,
                                         const source::SourceManager* sources) {
  auto refuse = [&](const std::string& why) -> std::optional<PlanFile> {
    diags
        .error(diag::Code::E0505, source::Span{},
               fmt::format("`{}` is not a usable saved plan: {}", origin, why))
        .with_note("make a new one with `kc plan --out FILE`");
    return std::nullopt;
  };
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded()) return refuse("it is not valid JSON (truncated or damaged?)");
  if (!json.is_object()) return refuse("it is not a JSON object");
  auto format = json.find("format");
  if (format == json.end() || !format->is_string() ||
      format->get<std::string>() != kPlanFileFormat) {
    return refuse(fmt::format("it has no \"format\": \"{}\" marker", kPlanFileFormat));
  }
  auto version = json.find("format_version");
  if (version == json.end() || !version->is_number_integer()) {
    return refuse("it has no format_version");
  }
  if (*version != kPlanFileVersion) {
    return refuse(fmt::format("it has format version {}; this kc reads version {}", version->dump(),
                              kPlanFileVersion));
  }

  Reader r;
  PlanFile file;
  file.kc_version = r.string(json, "", "kc_version");
  if (const Json* state = r.field(json, "", "state")) {
    file.lineage = r.string(*state, "state", "lineage");
    file.serial = r.integer(*state, "state", "serial", 0, std::numeric_limits<int64_t>::max());
  }
  file.module = r.string(json, "", "module");
  file.module_dir = r.string(json, "", "module_dir");
  if (const Json* list = r.array(json, "", "sources")) {
    for (size_t i = 0; r.ok() && i < list->size(); ++i) {
      std::string where = Reader::index("sources", i);
      SourceDigest digest{r.string((*list)[i], where, "path"),
                          r.string((*list)[i], where, "sha256")};
      file.sources.push_back(std::move(digest));
    }
  }
  if (const Json* list = r.array(json, "", "inputs")) {
    for (size_t i = 0; r.ok() && i < list->size(); ++i) {
      std::string where = Reader::index("inputs", i);
      PlanInput input;
      input.name = r.string((*list)[i], where, "name");
      input.value = r.value((*list)[i], where, "value");
      input.origin = r.string((*list)[i], where, "origin");
      file.inputs.push_back(std::move(input));
    }
  }
  file.inputs_sha256 = r.string(json, "", "inputs_sha256");
  if (const Json* list = r.array(json, "", "drift")) {
    for (size_t i = 0; r.ok() && i < list->size(); ++i)
      file.drift.push_back(read_drift(r, (*list)[i], Reader::index("drift", i)));
  }
  if (const Json* plan = r.field(json, "", "plan")) file.plan = read_plan(r, *plan, sources);
  if (!r.ok()) return refuse(r.error());
  if (inputs_digest(file.inputs) != file.inputs_sha256) {
    return refuse("its inputs do not match their digest (the file was altered)");
  }
  return file;
}

bool write_plan_file(const std::string& path, std::string_view text, std::string* error) {
  return support::write_file_atomically(path, text, 0600, error);
}

}  // namespace kc::plan
