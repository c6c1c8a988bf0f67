// Unit tests for runtime/plan: actions, step graph, refresh, and the text and JSON renderers.
#include <doctest/doctest.h>

#include <algorithm>

#include "providers/sdk/literal.h"
#include "runtime/plan/diff.h"
#include "runtime/plan/provider_messages.h"
#include "runtime/plan/refresh.h"
#include "runtime/plan/render_json.h"
#include "runtime/plan/render_text.h"
#include "tests/unit/runtime_fakes.h"

using namespace kc;
using testing::machine;

namespace {

sdk::Value inputs(int cpu, const char* zone) {
  return sdk::Value::map({{"cpu", cpu}, {"zone", zone}});
}

state::ResourceState stored(const std::string& label, sdk::Value attributes,
                            std::vector<std::string> deps = {}) {
  state::ResourceState r;
  r.address = machine(label);
  r.type = "fake.machine";
  r.provider = "fake";
  r.attributes = std::move(attributes);
  r.dependencies = std::move(deps);
  return r;
}

sdk::Value applied(int cpu, const char* zone, const char* id) {
  return sdk::Value::map(
      {{"cpu", cpu}, {"zone", zone}, {"id", id}, {"ip", std::string("10.0.0.") + id[5]}});
}

struct Fixture {
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  eval::DesiredState desired;
  state::State prior;
  diag::Diagnostics diags;

  Fixture() { providers.add(&provider); }
  void want(eval::DesiredResource r) {
    desired.resources.push_back(std::move(r));
    std::sort(desired.resources.begin(), desired.resources.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });
  }
  plan::Plan plan() { return plan::make_plan(desired, prior, providers, diags); }
};

std::string step_line(const plan::Step& s) {
  std::string out = std::to_string(s.id) + " " + std::string(plan::step_kind_name(s.kind)) + " " +
                    s.address + " [";
  for (int d : s.depends_on)
    out += std::to_string(d) + ";";
  return out + "]";
}

std::vector<std::string> step_lines(const plan::Plan& p) {
  std::vector<std::string> out;
  for (const auto& s : p.steps)
    out.push_back(step_line(s));
  return out;
}

}  // namespace

TEST_CASE("plan: create when nothing is stored") {
  Fixture f;
  f.want(testing::desired_machine("web", inputs(2, "a")));
  plan::Plan p = f.plan();
  CHECK(f.diags.empty());
  REQUIRE(p.changes.size() == 1);
  const plan::ResourceChange& c = p.changes[0];
  CHECK(c.action == plan::Action::Create);
  CHECK(c.address == machine("web"));
  CHECK(c.type == "fake.machine");
  CHECK(c.before.is_null());
  CHECK(c.after.find("cpu")->as_int() == 2);
  CHECK(c.after.find("id")->is_unknown());
  CHECK(c.after_unknown == std::vector<std::string>{"id", "ip"});
  CHECK(p.summary.create == 1);
  CHECK(p.has_changes());
  CHECK(step_lines(p) == std::vector<std::string>{"0 create " + machine("web") + " []"});
  CHECK(p.steps[0].action == "create");
  CHECK(p.steps[0].wave == 0);
}

TEST_CASE("plan: no-op, update, replace and delete against stored state") {
  Fixture f;
  f.prior.upsert(stored("same", applied(1, "a", "m-0001")));
  f.prior.upsert(stored("grow", applied(1, "a", "m-0002")));
  f.prior.upsert(stored("move", applied(1, "a", "m-0003")));
  f.prior.upsert(stored("gone", applied(1, "a", "m-0004")));
  f.want(testing::desired_machine("same", inputs(1, "a")));
  f.want(testing::desired_machine("grow", inputs(4, "a")));
  f.want(testing::desired_machine("move", inputs(1, "b")));
  plan::Plan p = f.plan();
  CHECK(f.diags.empty());
  REQUIRE(p.changes.size() == 4);
  // Sorted by address: gone, grow, move, same.
  CHECK(p.changes[0].action == plan::Action::Delete);
  CHECK(p.changes[0].after.is_null());
  CHECK(p.changes[0].before.find("id")->as_string() == "m-0004");
  CHECK(p.changes[1].action == plan::Action::Update);
  CHECK(p.changes[1].changed == std::vector<std::string>{"cpu"});
  CHECK(p.changes[1].after.find("id")->as_string() == "m-0002");
  CHECK(p.changes[2].action == plan::Action::Replace);
  CHECK(p.changes[2].replace_because == std::vector<std::string>{"zone"});
  CHECK(p.changes[2].after_unknown == std::vector<std::string>{"id", "ip"});
  CHECK(p.changes[3].action == plan::Action::NoOp);
  CHECK(p.summary.create == 0);
  CHECK(p.summary.update == 1);
  CHECK(p.summary.replace == 1);
  CHECK(p.summary.destroy == 1);
  CHECK(p.summary.unchanged == 1);
  // A replace deletes first, then creates.
  CHECK(step_lines(p) == std::vector<std::string>{
                             "0 delete " + machine("gone") + " []",
                             "1 update " + machine("grow") + " []",
                             "2 delete " + machine("move") + " []",
                             "3 create " + machine("move") + " [2;]",
                         });
  CHECK(p.steps[2].action == "replace");
  CHECK(p.steps[3].action == "replace");
}

TEST_CASE("plan: nothing to do") {
  Fixture f;
  f.prior.upsert(stored("web", applied(2, "a", "m-0001")));
  f.want(testing::desired_machine("web", inputs(2, "a")));
  plan::Plan p = f.plan();
  CHECK_FALSE(p.has_changes());
  CHECK(p.steps.empty());
  CHECK(p.summary.unchanged == 1);
  CHECK(plan::render_plan_text(p, false) ==
        "No changes. The infrastructure matches the configuration.\n");
}

TEST_CASE("plan: create_before_destroy creates the replacement first") {
  Fixture f;
  f.prior.upsert(stored("web", applied(2, "a", "m-0001")));
  auto r = testing::desired_machine("web", inputs(2, "b"));
  r.lifecycle.create_before_destroy = true;
  f.want(r);
  plan::Plan p = f.plan();
  REQUIRE(p.changes.size() == 1);
  CHECK(p.changes[0].action == plan::Action::Replace);
  CHECK(p.changes[0].create_before_destroy);
  CHECK(step_lines(p) == std::vector<std::string>{"0 create " + machine("web") + " []",
                                                  "1 delete " + machine("web") + " [0;]"});
}

TEST_CASE("plan: a chain z <- m <- a creates in dependency order and destroys in reverse") {
  // Address order (a, m, z) is the opposite of dependency order, so ids cannot come from sorting.
  Fixture f;
  f.want(testing::desired_machine("z", inputs(1, "a")));
  f.want(testing::desired_machine("m", inputs(1, "a"), {machine("z")}));
  f.want(testing::desired_machine("a", inputs(1, "a"), {machine("m")}));
  plan::Plan p = f.plan();
  CHECK(step_lines(p) == std::vector<std::string>{"0 create " + machine("z") + " []",
                                                  "1 create " + machine("m") + " [0;]",
                                                  "2 create " + machine("a") + " [1;]"});
  CHECK(p.changes[0].depends_on == std::vector<std::string>{machine("m")});

  state::State s;
  s.upsert(stored("z", applied(1, "a", "m-0001")));
  s.upsert(stored("m", applied(1, "a", "m-0002"), {machine("z")}));
  s.upsert(stored("a", applied(1, "a", "m-0003"), {machine("m")}));
  diag::Diagnostics diags;
  plan::Plan d = plan::make_destroy_plan(s, f.providers, diags);
  CHECK(diags.empty());
  CHECK(d.destroy);
  CHECK(d.summary.destroy == 3);
  CHECK(step_lines(d) == std::vector<std::string>{"0 delete " + machine("a") + " []",
                                                  "1 delete " + machine("m") + " [0;]",
                                                  "2 delete " + machine("z") + " [1;]"});
  // A plan that drops the dependents deletes them in the same reverse order.
  Fixture g;
  g.prior = s;
  g.want(testing::desired_machine("z", inputs(1, "a")));
  plan::Plan partial = g.plan();
  CHECK(step_lines(partial) == std::vector<std::string>{"0 delete " + machine("a") + " []",
                                                        "1 delete " + machine("m") + " [0;]"});
}

TEST_CASE("plan: destroy-first replaces delete dependents first and create them after") {
  Fixture f;
  f.prior.upsert(stored("base", applied(1, "a", "m-0001")));
  f.prior.upsert(stored("app", applied(1, "a", "m-0002"), {machine("base")}));
  f.want(testing::desired_machine("base", inputs(1, "b")));
  f.want(testing::desired_machine("app", inputs(1, "b"), {machine("base")}));
  plan::Plan p = f.plan();
  CHECK(step_lines(p) == std::vector<std::string>{"0 delete " + machine("app") + " []",
                                                  "1 delete " + machine("base") + " [0;]",
                                                  "2 create " + machine("base") + " [1;]",
                                                  "3 create " + machine("app") + " [0;2;]"});
}

TEST_CASE("plan: step ids are deterministic and independent steps follow address order") {
  auto make = [] {
    Fixture f;
    for (const char* label : {"c", "a", "d", "b"}) {
      f.want(testing::desired_machine(label, inputs(1, "a")));
    }
    f.want(testing::desired_machine("e", inputs(1, "a"), {machine("a"), machine("d")}));
    return f.plan();
  };
  plan::Plan first = make();
  plan::Plan second = make();
  CHECK(step_lines(first) == step_lines(second));
  CHECK(step_lines(first) == std::vector<std::string>{"0 create " + machine("a") + " []",
                                                      "1 create " + machine("b") + " []",
                                                      "2 create " + machine("c") + " []",
                                                      "3 create " + machine("d") + " []",
                                                      "4 create " + machine("e") + " [0;3;]"});
}

TEST_CASE("plan: an unknown provider is E0504 at the resource") {
  Fixture f;
  auto r = testing::desired_machine("web", inputs(1, "a"));
  r.provider = "nimbus";
  r.span = source::Span{3, 40, 52};
  f.want(r);
  plan::Plan p = f.plan();
  CHECK(p.changes.empty());
  REQUIRE(f.diags.error_count() == 1);
  CHECK(f.diags.all()[0].code == diag::Code::E0504);
  CHECK(f.diags.all()[0].span == source::Span{3, 40, 52});
  CHECK(f.diags.all()[0].message.find("nimbus") != std::string::npos);
}

TEST_CASE("plan: validation errors point at the resource and stop its change") {
  Fixture f;
  f.want(testing::desired_machine("web", inputs(0, "a")));
  plan::Plan p = f.plan();
  CHECK(p.changes.empty());
  REQUIRE(f.diags.error_count() == 1);
  CHECK(f.diags.all()[0].span == source::Span{0, 10, 20});
}

TEST_CASE("plan: ignore_changes keeps the stored value") {
  Fixture f;
  f.prior.upsert(stored("web", applied(2, "a", "m-0001")));
  auto r = testing::desired_machine("web", inputs(8, "a"));
  r.lifecycle.ignore_changes = {"cpu"};
  f.want(r);
  plan::Plan p = f.plan();
  REQUIRE(p.changes.size() == 1);
  CHECK(p.changes[0].action == plan::Action::NoOp);
}

TEST_CASE("plan: attributes computed from a secret and those the state recorded stay sensitive") {
  Fixture f;
  auto web = testing::desired_machine("web", inputs(2, "hidden"));
  web.sensitive = {"zone"};
  f.want(web);
  auto old = stored("db", applied(4, "kept", "m-0002"));
  old.sensitive = {"zone"};
  f.prior.upsert(old);
  plan::Plan p = f.plan();
  REQUIRE(p.changes.size() == 2);
  CHECK(p.changes[0].address == machine("db"));
  CHECK(p.changes[0].action == plan::Action::Delete);
  CHECK(p.changes[0].sensitive == std::vector<std::string>{"password", "zone"});
  CHECK(p.changes[1].action == plan::Action::Create);
  CHECK(p.changes[1].sensitive == std::vector<std::string>{"password", "zone"});
  std::string text = plan::render_plan_text(p, false);
  CHECK(text.find("hidden") == std::string::npos);
  CHECK(text.find("kept") == std::string::npos);
}

TEST_CASE("plan: prevent_destroy refuses a replacement and a delete, allows an update") {
  Fixture f;
  f.prior.upsert(stored("web", applied(2, "a", "m-0001")));
  auto moved = testing::desired_machine("web", inputs(2, "b"));  // zone forces replacement
  moved.lifecycle.prevent_destroy = true;
  f.want(moved);
  plan::Plan p = f.plan();
  CHECK(p.changes.empty());
  REQUIRE(f.diags.error_count() == 1);
  CHECK(f.diags.all()[0].code == diag::Code::E0501);
  CHECK(f.diags.all()[0].label.find("`zone` forces") != std::string::npos);

  Fixture gone;  // removed from the configuration, but applied with the protection
  auto protected_web = stored("web", applied(2, "a", "m-0001"));
  protected_web.prevent_destroy = true;
  gone.prior.upsert(protected_web);
  CHECK(gone.plan().changes.empty());
  REQUIRE(gone.diags.error_count() == 1);
  CHECK(gone.diags.all()[0].code == diag::Code::E0501);
  diag::Diagnostics destroy_diags;
  CHECK(plan::make_destroy_plan(gone.prior, gone.providers, destroy_diags).changes.empty());
  CHECK(destroy_diags.error_count() == 1);

  Fixture grown;
  grown.prior.upsert(protected_web);
  auto bigger = testing::desired_machine("web", inputs(4, "a"));
  bigger.lifecycle.prevent_destroy = true;
  grown.want(bigger);
  plan::Plan update = grown.plan();
  CHECK(grown.diags.empty());
  REQUIRE(update.changes.size() == 1);
  CHECK(update.changes[0].action == plan::Action::Update);
  CHECK(update.changes[0].prevent_destroy);
}

TEST_CASE("provider messages never show a secret") {
  sdk::Value attributes = sdk::Value::map({{"password", "hunter2"},
                                           {"nested", sdk::Value::list({"s3cr3t-token", 7})},
                                           {"pin", "ab"},
                                           {"name", "hunter2-db"}});
  std::vector<std::string> texts =
      plan::secret_texts({"password", "nested", "pin", "missing"}, {&attributes, nullptr});
  // Longest first; the two-letter pin is too short to hide without shredding messages.
  CHECK(texts == std::vector<std::string>{"s3cr3t-token", "hunter2"});

  diag::Diagnostics from;
  from.error(diag::Code::E0504, source::Span{}, "password \"hunter2\" is weak")
      .with_label("hunter2hunter2")
      .with_secondary(source::Span{1, 0, 1}, "token s3cr3t-token")
      .with_note("name hunter2-db is taken");
  diag::Diagnostics into;
  CHECK(plan::append_provider_diagnostics(into, from, source::Span{0, 5, 9}, texts));
  REQUIRE(into.all().size() == 1);
  const diag::Diagnostic& d = into.all()[0];
  CHECK(d.span == source::Span{0, 5, 9});
  CHECK(d.message == "password \"(sensitive)\" is weak");
  CHECK(d.label == "(sensitive)(sensitive)");
  CHECK(d.secondary[0].message == "token (sensitive)");
  // The value of a field that is not secret is hidden where it contains a secret's text.
  CHECK(d.notes[0] == "name (sensitive)-db is taken");
}

TEST_CASE("refresh updates drifted attributes and drops vanished resources") {
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  state::State s;
  s.upsert(stored("same", applied(1, "a", "m-0001")));
  s.upsert(stored("drift", applied(1, "a", "m-0002")));
  s.upsert(stored("gone", applied(1, "a", "m-0003")));
  provider.world[machine("same")] = applied(1, "a", "m-0001");
  provider.world[machine("drift")] = applied(3, "a", "m-0002");
  diag::Diagnostics diags;
  std::vector<plan::Drift> drifted = plan::refresh(s, providers, {}, diags);
  CHECK(diags.empty());
  REQUIRE(drifted.size() == 2);
  CHECK(drifted[0].address == machine("drift"));
  CHECK(drifted[0].action == plan::Action::Update);
  CHECK(drifted[0].changed == std::vector<std::string>{"cpu"});
  CHECK(drifted[1].address == machine("gone"));
  CHECK(drifted[1].action == plan::Action::Delete);
  CHECK(drifted[1].after.is_null());
  CHECK(s.resources.size() == 2);
  CHECK(s.find(machine("gone")) == nullptr);
  CHECK(s.find(machine("drift"))->attributes.find("cpu")->as_int() == 3);
}

TEST_CASE("KCL literal form of values") {
  CHECK(sdk::kcl_literal(sdk::Value("a \"b\"\n${x}")) == R"("a \"b\"\n\${x}")");
  CHECK(sdk::kcl_literal(sdk::Value(sdk::ByteSize{4LL << 30})) == "4Gi");
  CHECK(sdk::kcl_literal(sdk::Value(sdk::Duration{90 * 60 * 1000})) == "1h30m");
  CHECK(sdk::kcl_literal(sdk::Value(2.0)) == "2.0");
  CHECK(sdk::kcl_literal(sdk::Value(0.5)) == "0.5");
  CHECK(sdk::kcl_literal(sdk::Value(*sdk::parse_ip("10.0.0.1"))) == "10.0.0.1");
  CHECK(sdk::kcl_literal(sdk::Value(*sdk::parse_ip("fd00::1"))) == "\"fd00::1\"");
  CHECK(sdk::kcl_literal(sdk::Value::list({1, "x", sdk::Value::unknown()})) ==
        "[1, \"x\", (known after apply)]");
  CHECK(sdk::kcl_literal(sdk::Value::map({{"a", 1}, {"my-key", true}})) ==
        "{ a = 1, \"my-key\" = true }");
  CHECK(sdk::kcl_literal(sdk::Value::map({})) == "{}");
  CHECK(sdk::kcl_literal(sdk::Value()) == "null");
}

TEST_CASE("text rendering of create, update, replace and delete") {
  Fixture f;
  f.prior.upsert(stored("grow", applied(1, "a", "m-0002")));
  f.prior.upsert(stored("move", applied(1, "a", "m-0003")));
  f.prior.upsert(stored("gone", applied(1, "a", "m-0004")));
  auto web = testing::desired_machine(
      "web", sdk::Value::map({{"cpu", 2}, {"memory", sdk::ByteSize{4LL << 30}}, {"zone", "a"}}));
  web.address = "prod." + web.address;
  f.want(web);
  f.want(testing::desired_machine("grow", inputs(4, "a")));
  f.want(testing::desired_machine("move", inputs(1, "b"), {machine("grow")}));
  plan::Plan p = f.plan();
  CHECK(plan::render_plan_text(p, false) == R"(kc will perform the following actions:

  # fake.machine["gone"] will be destroyed
  - resource "fake.machine" "gone" {
      - cpu  = 1 -> null
      - id   = "m-0004" -> null
      - ip   = "10.0.0.4" -> null
      - zone = "a" -> null
    }

  # fake.machine["grow"] will be updated in-place
  ~ resource "fake.machine" "grow" {
      ~ cpu = 1 -> 4
        # (3 unchanged attributes hidden)
    }

  # fake.machine["move"] must be replaced
-/+ resource "fake.machine" "move" {
      ~ id   = "m-0003" -> (known after apply)
      ~ ip   = "10.0.0.3" -> (known after apply)
      ~ zone = "a" -> "b" # forces replacement
        # (1 unchanged attribute hidden)
    }

  # prod.fake.machine["web"] will be created
  + resource "fake.machine" "web" {
      + cpu    = 2
      + id     = (known after apply)
      + ip     = (known after apply)
      + memory = 4Gi
      + zone   = "a"
    }

Steps:
  0 delete fake.machine["gone"]
  1 update fake.machine["grow"]
  2 delete fake.machine["move"]
  3 create fake.machine["move"] (after 1, 2)
  4 create prod.fake.machine["web"]

Plan: 1 to create, 1 to update, 1 to replace, 1 to delete.
)");
}

TEST_CASE("text rendering hides secrets, marks create_before_destroy and colours on request") {
  Fixture f;
  f.prior.upsert(stored("web", applied(1, "a", "m-0001")));
  auto r = testing::desired_machine(
      "web", sdk::Value::map({{"cpu", 1}, {"zone", "b"}, {"password", "hunter2"}}));
  r.lifecycle.create_before_destroy = true;
  f.want(r);
  plan::Plan p = f.plan();
  std::string text = plan::render_plan_text(p, false);
  CHECK(text.find("hunter2") == std::string::npos);
  CHECK(text.find("      + password = (sensitive)\n") != std::string::npos);
  CHECK(text.find("+/- resource \"fake.machine\" \"web\" {\n") != std::string::npos);
  CHECK(text.find("\x1b[") == std::string::npos);

  std::string colored = plan::render_plan_text(p, true);
  CHECK(colored.find("\x1b[32m+\x1b[0m/\x1b[31m-\x1b[0m resource") != std::string::npos);
  CHECK(colored.find("\x1b[31m# forces replacement\x1b[0m") != std::string::npos);
}

TEST_CASE("plan JSON has the CLI.md shape") {
  Fixture f;
  f.prior.upsert(stored("move", applied(1, "a", "m-0003")));
  f.want(testing::desired_machine("move", inputs(1, "b")));
  auto web = testing::desired_machine(
      "web", sdk::Value::map({{"cpu", 2}, {"password", "hunter2"}, {"zone", "a"}}));
  f.want(web);
  plan::Plan p = f.plan();
  nlohmann::ordered_json j = plan::render_plan_json(p);

  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it)
    keys.push_back(it.key());
  CHECK(keys ==
        std::vector<std::string>{"format_version", "summary", "changes", "steps", "diagnostics"});
  CHECK(j["format_version"] == "1");
  CHECK(j["summary"] == nlohmann::ordered_json::parse(
                            R"({"create":1,"update":0,"replace":1,"delete":0,"unchanged":0})"));
  CHECK(j["diagnostics"] == nlohmann::ordered_json::array());
  REQUIRE(j["changes"].size() == 2);
  const auto& move = j["changes"][0];
  std::vector<std::string> change_keys;
  for (auto it = move.begin(); it != move.end(); ++it)
    change_keys.push_back(it.key());
  CHECK(change_keys == std::vector<std::string>{"address", "type", "action", "before", "after",
                                                "after_unknown", "replace_because"});
  CHECK(move["address"] == machine("move"));
  CHECK(move["type"] == "fake.machine");
  CHECK(move["action"] == "replace");
  CHECK(move["before"]["id"] == "m-0003");
  CHECK(move["after"]["id"] == "(known after apply)");
  CHECK(move["replace_because"] == nlohmann::ordered_json::parse(R"(["zone"])"));
  const auto& web_json = j["changes"][1];
  CHECK(web_json["before"].is_null());
  CHECK(web_json["after"]["password"] == "(sensitive)");
  CHECK(web_json["after_unknown"] == nlohmann::ordered_json::parse(R"(["id", "ip"])"));

  REQUIRE(j["steps"].size() == 3);
  CHECK(j["steps"][1] == nlohmann::ordered_json::parse(
                             R"({"id":1,"kind":"create","address":"fake.machine[\"move\"]",
                                 "action":"replace","wave":0,"depends_on":[0]})"));
}
