// Unit tests for saved plan files (runtime/plan/plan_file.h, exact_value.h): exact round trips,
// and refusal of damaged, foreign or future files with E0505 and never a crash.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "providers/sdk/json.h"
#include "runtime/plan/exact_value.h"
#include "runtime/plan/plan_file.h"
#include "runtime/state/render_state.h"

using namespace kc;
using Json = nlohmann::ordered_json;

namespace {

sdk::Value every_kind() {
  sdk::Entries nested{{"unknown", sdk::Value::unknown()},
                      {"text_like_unknown", sdk::Value(sdk::kUnknownText)},
                      {"empty", sdk::Value::list({})}};
  return sdk::Value::map({
      {"null", sdk::Value()},
      {"bool", sdk::Value(true)},
      {"int", sdk::Value(int64_t{-42})},
      {"big", sdk::Value(std::numeric_limits<int64_t>::max())},
      {"float", sdk::Value(2.0)},
      {"fraction", sdk::Value(0.1)},
      {"inf", sdk::Value(std::numeric_limits<double>::infinity())},
      {"string", sdk::Value("1Gi")},
      {"duration", sdk::Value(sdk::Duration{5'400'000})},
      {"bytes", sdk::Value(sdk::ByteSize{1500})},
      {"percent", sdk::Value(sdk::Percent{12.5})},
      {"version", sdk::Value(*sdk::parse_version("v1.30.0-rc.1"))},
      {"ip4", sdk::Value(*sdk::parse_ip("10.0.0.1"))},
      {"ip6", sdk::Value(*sdk::parse_ip("fd00::1"))},
      {"cidr", sdk::Value(*sdk::parse_cidr("10.0.0.0/16"))},
      {"list", sdk::Value::list({sdk::Value(1), sdk::Value("a"), sdk::Value::unknown()})},
      {"map", sdk::Value::map(std::move(nested))},
      // A map whose only key is a tag name must not decode as that tag.
      {"tag_named", sdk::Value::map({{"unknown", sdk::Value(true)}})},
  });
}

plan::PlanFile sample_file() {
  plan::PlanFile file;
  file.kc_version = "0.1.0";
  file.lineage = "6f1c1a52-9a3e-4f7e-8d3a-0c1f2e3d4b5a";
  file.serial = 4;
  file.module = "/m/main.kcl";
  file.module_dir = "/m";
  file.sources = {{"/m/main.kcl", std::string(64, 'a')}};
  file.inputs = {{"replicas", sdk::Value(int64_t{3}), "--var replicas=3"},
                 {"timeout", sdk::Value(sdk::Duration{30'000}), "KC_VAR_timeout"}};
  file.inputs_sha256 = plan::inputs_digest(file.inputs);
  plan::Drift drift;
  drift.address = "sim.machine[\"db\"]";
  drift.type = "sim.machine";
  drift.before = sdk::Value::map({{"cpu", sdk::Value(int64_t{2})}, {"token", sdk::Value("s")}});
  drift.after = sdk::Value::map({{"cpu", sdk::Value(int64_t{4})}, {"token", sdk::Value("s")}});
  drift.changed = {"cpu"};
  drift.sensitive = {"token"};
  plan::Drift gone;
  gone.address = "sim.machine[\"old\"]";
  gone.type = "sim.machine";
  gone.action = plan::Action::Delete;
  gone.before = sdk::Value::map({{"cpu", sdk::Value(int64_t{1})}});
  file.drift = {drift, gone};

  plan::ResourceChange create;
  create.address = "sim.machine[\"a\"]";
  create.type = "sim.machine";
  create.provider = "sim";
  create.action = plan::Action::Create;
  create.after = every_kind();
  create.after_unknown = {"id", "ip"};
  create.depends_on = {"sim.network[\"n\"]"};
  create.changed = {"cpu"};
  create.sensitive = {"password"};
  create.prevent_destroy = true;
  create.rollout.group = "web";
  create.rollout.max_surge = eval::RolloutBound{true, 25};
  create.rollout.quorum = true;
  create.hooks = {{"before_destroy", {"drain", "cordon"}}};
  create.span = source::Span{0, 3, 10};

  plan::ResourceChange replace;
  replace.address = "sim.machine[\"b\"]";
  replace.type = "sim.machine";
  replace.provider = "sim";
  replace.action = plan::Action::Replace;
  replace.before = sdk::Value::map({{"zone", sdk::Value("a")}});
  replace.after = sdk::Value::map({{"zone", sdk::Value("b")}});
  replace.replace_because = {"zone"};
  replace.create_before_destroy = true;

  // The delete of an object deposed by an earlier replacement of the same address.
  plan::ResourceChange deposed;
  deposed.address = replace.address;
  deposed.type = "sim.machine";
  deposed.provider = "sim";
  deposed.action = plan::Action::Delete;
  deposed.before = sdk::Value::map({{"zone", sdk::Value("z")}});
  deposed.deposed = "0badc0de";

  file.plan.changes = {create, replace, deposed};
  file.plan.steps = {
      plan::Step{0, plan::StepKind::Create, create.address, "create", "", 0, {}},
      plan::Step{1, plan::StepKind::Create, replace.address, "replace", "", 1, {0}},
      plan::Step{2, plan::StepKind::Delete, replace.address, "replace", "", 1, {0, 1}},
      plan::Step{3, plan::StepKind::Delete, deposed.address, "delete", "", 0, {}, "0badc0de"},
  };
  plan::Wave wave;
  wave.number = 1;
  wave.group = "web";
  wave.index = 1;
  wave.count = 1;
  wave.members = 2;
  wave.addresses = {replace.address};
  file.plan.waves = {wave};
  file.plan.summary = plan::Summary{1, 0, 1, 1, 0};
  return file;
}

// Decodes `text`, expecting a refusal: exactly one E0505 error and no file.
void expect_refused(const std::string& text, const std::string& why = "") {
  diag::Diagnostics diags;
  std::optional<plan::PlanFile> file = plan::decode_plan_file(text, "plan.json", diags);
  CHECK_FALSE(file);
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].code == diag::Code::E0505);
  if (!why.empty()) CHECK(diags.all()[0].message.find(why) != std::string::npos);
}

}  // namespace

TEST_CASE("exact values: every kind survives the round trip, unknowns included") {
  sdk::Value value = every_kind();
  Json json = plan::exact_json(value);
  std::string error;
  std::optional<sdk::Value> back = plan::exact_value(Json::parse(json.dump()), &error);
  REQUIRE_MESSAGE(back, error);
  CHECK(*back == value);
  CHECK(plan::exact_json(*back) == json);
  for (const auto& [name, item] : value.as_map())
    CHECK_MESSAGE(back->find(name)->kind() == item.kind(), name);
  CHECK(back->find("map")->find("unknown")->is_unknown());
  CHECK(back->find("map")->find("text_like_unknown")->kind() == sdk::Kind::String);
  CHECK(back->find("tag_named")->kind() == sdk::Kind::Map);

  sdk::Value nan(std::numeric_limits<double>::quiet_NaN());
  std::optional<sdk::Value> nan_back = plan::exact_value(plan::exact_json(nan), &error);
  REQUIRE(nan_back);
  CHECK(std::isnan(nan_back->as_float()));
}

TEST_CASE("exact values: malformed encodings are refused with where and why") {
  std::string error;
  CHECK_FALSE(plan::exact_value(Json::parse(R"({"map": {"a": {"bogus": 1}}})"), &error));
  CHECK(error.find("`a`") != std::string::npos);
  CHECK(error.find("bogus") != std::string::npos);
  CHECK_FALSE(plan::exact_value(Json::parse(R"({"a": 1, "b": 2})"), &error));
  CHECK_FALSE(plan::exact_value(Json::parse(R"({"version": "1.2"})"), &error));
  CHECK_FALSE(plan::exact_value(Json::parse(R"({"duration_ms": "5s"})"), &error));
  CHECK_FALSE(plan::exact_value(Json::parse(R"({"unknown": false})"), &error));
  CHECK_FALSE(plan::exact_value(Json::parse("18446744073709551615"), &error));
  std::string deep;
  for (int i = 0; i < 300; ++i)
    deep += "[";
  for (int i = 0; i < 300; ++i)
    deep += "]";
  CHECK_FALSE(plan::exact_value(Json::parse(deep), &error));
  CHECK(error.find("deep") != std::string::npos);
}

TEST_CASE("plan files: encode -> decode -> encode is the identity, spans included") {
  source::SourceManager sources;
  sources.add("/m/main.kcl", "web = resource sim.machine a {}\n");
  plan::PlanFile file = sample_file();
  std::string text = plan::encode_plan_file(file, &sources);
  CHECK(plan::looks_like_plan_file(text));

  diag::Diagnostics diags;
  std::optional<plan::PlanFile> back = plan::decode_plan_file(text, "plan.json", diags, &sources);
  REQUIRE_MESSAGE(back, (diags.empty() ? "" : diags.all()[0].message));
  CHECK(diags.empty());
  CHECK(plan::encode_plan_file(*back, &sources) == text);

  CHECK(back->lineage == file.lineage);
  CHECK(back->serial == 4);
  CHECK(back->sources == file.sources);
  REQUIRE(back->inputs.size() == 2);
  CHECK(back->inputs[1].value.kind() == sdk::Kind::Duration);
  CHECK(back->inputs[1].origin == "KC_VAR_timeout");
  const plan::ResourceChange& c = back->plan.changes[0];
  CHECK(c.after == file.plan.changes[0].after);
  CHECK(c.after.find("ip6")->kind() == sdk::Kind::Ip);
  CHECK(c.after.find("duration")->kind() == sdk::Kind::Duration);
  CHECK(c.span == source::Span{0, 3, 10});
  CHECK(c.prevent_destroy);
  CHECK(c.rollout.max_surge->percent);
  CHECK(c.hooks.at("before_destroy") == std::vector<std::string>{"drain", "cordon"});
  CHECK(back->plan.changes[1].create_before_destroy);
  CHECK(back->plan.steps[2].depends_on == std::vector<int>{0, 1});
  // The deposed object's change and step keep their key; the replace's do not get one.
  REQUIRE(back->plan.changes.size() == 3);
  CHECK(back->plan.changes[1].deposed.empty());
  CHECK(back->plan.changes[2].deposed == "0badc0de");
  CHECK(back->plan.find(file.plan.changes[2].address, "0badc0de") == &back->plan.changes[2]);
  CHECK(back->plan.steps[2].deposed.empty());
  CHECK(back->plan.steps[3].deposed == "0badc0de");
  CHECK(back->plan.waves[0].addresses == file.plan.waves[0].addresses);
  CHECK(back->plan.summary.replace == 1);
  REQUIRE(back->drift.size() == 2);
  CHECK(back->drift[0].after.find("cpu")->as_int() == 4);
  CHECK(back->drift[0].changed == std::vector<std::string>{"cpu"});
  CHECK(back->drift[0].sensitive == std::vector<std::string>{"token"});
  CHECK(back->drift[1].action == plan::Action::Delete);
  CHECK(back->drift[1].after.is_null());
  CHECK(back->plan.find("sim.machine[\"b\"]") != nullptr);

  // Without the sources the spans are not saved, and nothing else changes.
  diag::Diagnostics unresolved;
  std::optional<plan::PlanFile> no_spans = plan::decode_plan_file(text, "p", unresolved);
  REQUIRE(no_spans);
  CHECK_FALSE(no_spans->plan.changes[0].span.valid());
}

TEST_CASE("plan files: garbage, foreign, future and damaged files are refused with E0505") {
  std::string text = plan::encode_plan_file(sample_file());
  expect_refused("", "not valid JSON");
  expect_refused("garbage\x01\xff", "not valid JSON");
  expect_refused("[1, 2]", "not a JSON object");
  expect_refused(R"({"format_version": 1})", "marker");
  expect_refused(R"({"format": "terraform-plan", "format_version": 1})", "marker");
  expect_refused(R"({"format": "kc-plan", "format_version": 1})", "version 1");
  expect_refused(R"({"format": "kc-plan", "format_version": 3})", "version 3");
  expect_refused(R"({"format": "kc-plan", "format_version": "1"})", "format_version");
  expect_refused(R"({"format": "kc-plan", "format_version": 2})", "missing `kc_version`");

  // Every truncation of a valid file is refused, never a crash.
  for (size_t cut = 0; cut + 1 < text.size(); cut += 7)
    expect_refused(text.substr(0, cut));

  // Alterations: each field replaced by a value of the wrong shape.
  Json good = Json::parse(text);
  auto altered = [&](const std::string& pointer, Json value, const std::string& why) {
    Json bad = good;
    bad[Json::json_pointer(pointer)] = std::move(value);
    INFO(pointer);
    expect_refused(bad.dump(), why);
  };
  altered("/state/serial", -1, "state.serial");
  altered("/state/lineage", 7, "state.lineage");
  altered("/plan/changes/0/action", "explode", "unknown action");
  altered("/drift/0/action", "no-op", "drift is an update, a delete or a create");
  altered("/drift/1/changed", "cpu", "drift[1].changed");
  altered("/plan/changes/0/after", Json{{"map", Json{{"x", Json{{"ip", "999.1.1.1"}}}}}}, "`x`");
  altered("/plan/changes/0/sensitive", "password", "array of strings");
  altered("/plan/changes/1/address", "a", "sorted");
  altered("/plan/steps/0/id", 1, "id order");
  altered("/plan/steps/1/id", 99, "plan.steps[1].id");
  altered("/plan/steps/1/depends_on", Json::array({2}), "earlier step");
  altered("/plan/steps/0/address", "sim.machine[\"zzz\"]", "no change");
  altered("/plan/steps/0/wave", 5, "wave");
  altered("/plan/steps/3/deposed", "feedface", "deposed object");
  altered("/plan/steps/3/deposed", "", "non-empty");
  altered("/plan/changes/2/deposed", 7, "expected a string");
  altered("/plan/changes/2/deposed", "", "non-empty");
  altered("/plan/waves/0/number", 3, "numbered");
  altered("/plan/changes/0/hooks", Json::array(), "expected an object");
  altered("/plan/changes/0/span", Json{{"file", "/m/main.kcl"}, {"begin", 9}, {"end", 3}}, "span");
  // Inputs edited by hand no longer match the digest taken when the plan was made.
  altered("/inputs/0/value", 30, "digest");
}

TEST_CASE("plan files: written with mode 0600") {
  namespace fs = std::filesystem;
  fs::path path = fs::temp_directory_path() / "kc-plan-file-test.json";
  fs::remove(path);
  std::string error;
  REQUIRE_MESSAGE(plan::write_plan_file(path.string(), "{}\n", &error), error);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  fs::remove(path);
}

TEST_CASE("state rendering hides sensitive attributes and outputs") {
  state::State s;
  s.lineage = "l";
  s.serial = 3;
  state::ResourceState r;
  r.address = "sim.machine[\"web\"]";
  r.type = "sim.machine";
  r.provider = "sim";
  r.attributes = sdk::Value::map({{"password", sdk::Value("hunter2")},
                                  {"cpu", sdk::Value(2)},
                                  {"ttl", sdk::Duration{60'000}}});
  r.sensitive = {"password"};
  s.resources.push_back(r);
  s.outputs = {{"token", sdk::Value("s3cret")}, {"cpu", sdk::Value(2)}};
  s.sensitive_outputs = {"token"};

  std::string text = state::render_state_text(s);
  CHECK(text ==
        "# sim.machine[\"web\"] (sim.machine)\n"
        "  cpu      = 2\n"
        "  password = (sensitive)\n"
        "  ttl      = 1m\n"
        "\n"
        "Outputs:\n"
        "\n"
        "token = (sensitive)\n"
        "cpu   = 2\n");
  std::string json = state::render_state_json(s).dump();
  CHECK(json.find("hunter2") == std::string::npos);
  CHECK(json.find("s3cret") == std::string::npos);
  CHECK(state::render_state_json(s)["resources"][0]["attributes"]["ttl"] == "1m");
  CHECK(state::render_state_text(state::State{}) ==
        "The state is empty: nothing has been applied.\n");
}
