// Unit tests for runtime/apply: dependency order, unknown inputs, journaling, failures and
// progress. These run the executor one step at a time (FakeProvider is not thread-safe); the
// parallel behaviour is tested in apply_executor_test.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "runtime/apply/apply.h"
#include "runtime/apply/scheduler.h"
#include "runtime/plan/diff.h"
#include "tests/unit/runtime_fakes.h"

using namespace kc;
using testing::machine;

namespace {

sdk::Value inputs(int cpu, const char* zone) {
  return sdk::Value::map({{"cpu", cpu}, {"zone", zone}});
}

// Records events instead of printing them.
class RecordingProgress final : public apply::ProgressSink {
 public:
  std::vector<std::string> events;
  void step_started(const plan::Step& step) override {
    events.push_back("start " + std::to_string(step.id));
  }
  void step_finished(const plan::Step& step, bool ok, std::chrono::milliseconds,
                     const sdk::Value&) override {
    events.push_back((ok ? "ok " : "failed ") + std::to_string(step.id));
  }
  void message(const std::string& text) override { events.push_back(text); }
};

// Resolves `peer` to the id of the resource named in `peer_of`, read from the current state.
class PeerResolver final : public apply::InputResolver {
 public:
  std::map<std::string, std::string> peer_of;  // address -> address whose id it needs
  std::vector<std::string> calls;
  std::vector<size_t> state_sizes;  // resources in the state at each call

  std::optional<sdk::Value> resolve(const std::string& address, const state::State& current,
                                    diag::Diagnostics& diags) override {
    calls.push_back(address);
    state_sizes.push_back(current.resources.size());
    const state::ResourceState* peer = current.find(peer_of.at(address));
    if (!peer) {
      diags.error(diag::Code::E0504, source::Span{}, "peer not applied yet");
      return std::nullopt;
    }
    return sdk::Value::map({{"cpu", 1}, {"zone", "a"}, {"peer", *peer->attributes.find("id")}});
  }
};

struct Fixture {
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  testing::MemoryBackend backend;
  RecordingProgress progress;
  eval::DesiredState desired;
  state::State state;
  diag::Diagnostics plan_diags;

  apply::ApplyOptions options;

  Fixture() {
    providers.add(&provider);
    options.parallelism = 1;
  }
  void want(eval::DesiredResource r) {
    desired.resources.push_back(std::move(r));
    std::sort(desired.resources.begin(), desired.resources.end(),
              [](const auto& a, const auto& b) { return a.address < b.address; });
  }
  plan::Plan plan() {
    plan::Plan p = plan::make_plan(desired, state, providers, plan_diags);
    REQUIRE(plan_diags.empty());
    return p;
  }
  apply::ApplyResult run(const plan::Plan& p, apply::InputResolver* resolver = nullptr) {
    return apply::apply_plan(p, state, providers, backend, resolver, progress, options);
  }
};

}  // namespace

TEST_CASE("apply creates a chain in dependency order and journals every create and step") {
  Fixture f;
  f.want(testing::desired_machine("z", inputs(1, "a")));
  f.want(testing::desired_machine("m", inputs(1, "a"), {machine("z")}));
  f.want(testing::desired_machine("a", inputs(1, "a"), {machine("m")}));
  apply::ApplyResult result = f.run(f.plan());
  CHECK(result.ok());
  CHECK(result.created == 3);
  CHECK(f.provider.log == std::vector<std::string>{"create " + machine("z"),
                                                   "create " + machine("m"),
                                                   "create " + machine("a")});
  // MemoryBackend's record() is Backend's default, a full save: a pending create before each step,
  // the finished step after it.
  REQUIRE(f.backend.saves.size() == 6);
  CHECK(f.backend.saves[0].resources.empty());
  CHECK(f.backend.saves[0].find_pending(machine("z")) != nullptr);
  CHECK(f.backend.saves[1].resources.size() == 1);
  CHECK(f.backend.saves[1].find(machine("z")) != nullptr);
  CHECK(f.backend.saves[1].pending.empty());
  CHECK(f.backend.saves[3].resources.size() == 2);
  CHECK(f.backend.saves[5].resources.size() == 3);
  CHECK(f.state.serial == 6);
  CHECK(f.state.pending.empty());
  const state::ResourceState* a = f.state.find(machine("a"));
  REQUIRE(a);
  CHECK(a->dependencies == std::vector<std::string>{machine("m")});
  CHECK(a->status == "ready");
  CHECK(a->attributes.find("id")->as_string() == "m-0003");
  CHECK(f.progress.events ==
        std::vector<std::string>{"start 0", "ok 0", "start 1", "ok 1", "start 2", "ok 2"});

  // Applying the same configuration again changes nothing.
  plan::Plan again = f.plan();
  CHECK_FALSE(again.has_changes());

  // Destroy runs in reverse.
  f.provider.log.clear();
  diag::Diagnostics diags;
  plan::Plan destroy = plan::make_destroy_plan(f.state, f.providers, diags);
  apply::ApplyResult gone = f.run(destroy);
  CHECK(gone.ok());
  CHECK(gone.deleted == 3);
  CHECK(f.provider.log == std::vector<std::string>{"delete " + machine("a"),
                                                   "delete " + machine("m"),
                                                   "delete " + machine("z")});
  CHECK(f.state.resources.empty());
  CHECK(f.provider.world.empty());
  CHECK(f.backend.saves.size() == 9);
}

TEST_CASE("apply resolves unknown inputs once their dependencies exist") {
  Fixture f;
  f.want(testing::desired_machine("db", inputs(1, "a")));
  f.want(testing::desired_machine(
      "app", sdk::Value::map({{"cpu", 1}, {"zone", "a"}, {"peer", sdk::Value::unknown()}}),
      {machine("db")}));
  plan::Plan p = f.plan();
  REQUIRE(p.find(machine("app")));
  CHECK(p.find(machine("app"))->after.find("peer")->is_unknown());

  PeerResolver resolver;
  resolver.peer_of[machine("app")] = machine("db");
  apply::ApplyResult result = f.run(p, &resolver);
  CHECK(result.ok());
  CHECK(result.created == 2);
  CHECK(resolver.calls == std::vector<std::string>{machine("app")});
  CHECK(resolver.state_sizes == std::vector<size_t>{1});  // db was recorded before app resolved
  CHECK(f.backend.saves.size() == 4);
  const state::ResourceState* app = f.state.find(machine("app"));
  REQUIRE(app);
  CHECK(app->attributes.find("peer")->as_string() == "m-0001");
  CHECK_FALSE(app->attributes.contains_unknown());
}

TEST_CASE("apply without a resolver refuses unknown inputs") {
  Fixture f;
  f.want(testing::desired_machine(
      "app", sdk::Value::map({{"cpu", 1}, {"zone", "a"}, {"peer", sdk::Value::unknown()}})));
  apply::ApplyResult result = f.run(f.plan());
  CHECK_FALSE(result.ok());
  CHECK(result.failed == 1);
  CHECK(result.diagnostics.has_errors());
  CHECK(f.provider.log.empty());
  REQUIRE(f.backend.saves.size() == 1);  // the pending create only
  CHECK(f.backend.saves[0].resources.empty());
}

TEST_CASE("a failed step skips its dependents while independent steps complete") {
  Fixture f;
  f.want(testing::desired_machine("base", inputs(1, "a")));
  f.want(testing::desired_machine("child", inputs(1, "a"), {machine("base")}));
  f.want(testing::desired_machine("grandchild", inputs(1, "a"), {machine("child")}));
  f.want(testing::desired_machine("other", inputs(1, "a")));
  f.provider.fail_apply.insert(machine("base"));
  plan::Plan p = f.plan();
  apply::ApplyResult result = f.run(p);
  CHECK_FALSE(result.ok());
  CHECK(result.failed == 1);
  CHECK(result.skipped == 2);
  CHECK(result.created == 1);
  REQUIRE(result.diagnostics.error_count() == 1);
  CHECK(result.diagnostics.all()[0].message.find("caught fire") != std::string::npos);
  // The provider error points at the resource.
  CHECK(result.diagnostics.all()[0].span == source::Span{0, 10, 20});
  CHECK(f.provider.log ==
        std::vector<std::string>{"create " + machine("base"), "create " + machine("other")});
  CHECK(f.state.resources.size() == 1);
  CHECK(f.state.find(machine("other")) != nullptr);
  CHECK(f.backend.saves.size() == 3);  // two pending creates, one upsert
  CHECK(std::count(
            f.progress.events.begin(), f.progress.events.end(),
            machine("child") + ": Skipped (waited on " + machine("base") + ", which failed)") == 1);
  CHECK(std::count(f.progress.events.begin(), f.progress.events.end(),
                   machine("grandchild") + ": Skipped (waited on " + machine("child") +
                       ", which did not run)") == 1);
}

TEST_CASE("a failed save stops the apply") {
  Fixture f;
  f.want(testing::desired_machine("a", inputs(1, "a")));
  f.want(testing::desired_machine("b", inputs(1, "a")));
  f.backend.fail_from = 2;  // the pending create of `a` is saved, its outcome is not
  apply::ApplyResult result = f.run(f.plan());
  CHECK_FALSE(result.ok());
  CHECK(result.created == 1);
  CHECK(result.skipped == 1);
  CHECK(f.provider.log == std::vector<std::string>{"create " + machine("a")});
  REQUIRE(result.diagnostics.error_count() == 1);
  CHECK(result.diagnostics.all()[0].code == diag::Code::E0505);
}

TEST_CASE("apply replaces destroy-first, or create-first with create_before_destroy") {
  for (bool cbd : {false, true}) {
    CAPTURE(cbd);
    Fixture f;
    f.want(testing::desired_machine("web", inputs(1, "a")));
    REQUIRE(f.run(f.plan()).ok());
    f.provider.log.clear();
    f.desired.resources.clear();
    auto r = testing::desired_machine("web", inputs(1, "b"));
    r.lifecycle.create_before_destroy = cbd;
    f.want(r);
    apply::ApplyResult result = f.run(f.plan());
    CHECK(result.ok());
    CHECK(result.replaced == 1);
    CHECK(result.created == 0);
    CHECK(result.deleted == 0);
    if (cbd) {
      CHECK(f.provider.log ==
            std::vector<std::string>{"create " + machine("web"), "delete " + machine("web")});
    } else {
      CHECK(f.provider.log ==
            std::vector<std::string>{"delete " + machine("web"), "create " + machine("web")});
    }
    const state::ResourceState* web = f.state.find(machine("web"));
    REQUIRE(web);
    CHECK(web->attributes.find("zone")->as_string() == "b");
    CHECK(web->attributes.find("id")->as_string() == "m-0002");
    // First apply: pending + upsert. Replace destroy-first: remove, pending, upsert. Replace
    // create-first: pending, depose of the old object + upsert of the new, drop of the deposed
    // record once the old object is deleted.
    CHECK(f.backend.saves.size() == (cbd ? 6u : 5u));
    CHECK(f.state.deposed.empty());
    REQUIRE(f.provider.world.count(machine("web")) == 1);
    CHECK(*f.provider.world[machine("web")].find("id") == sdk::Value("m-0002"));
  }
}

TEST_CASE("apply updates in place") {
  Fixture f;
  f.want(testing::desired_machine("web", inputs(1, "a")));
  REQUIRE(f.run(f.plan()).ok());
  f.desired.resources.clear();
  f.want(testing::desired_machine("web", inputs(4, "a")));
  apply::ApplyResult result = f.run(f.plan());
  CHECK(result.ok());
  CHECK(result.updated == 1);
  CHECK(f.provider.log.back() == "update " + machine("web"));
  CHECK(f.state.find(machine("web"))->attributes.find("cpu")->as_int() == 4);
  CHECK(f.state.find(machine("web"))->attributes.find("id")->as_string() == "m-0001");
}

TEST_CASE("scheduler hands out ready steps by id and skips transitive dependents") {
  std::vector<plan::Step> steps(4);
  for (int i = 0; i < 4; ++i)
    steps[i].id = i;
  steps[2].depends_on = {0};
  steps[3].depends_on = {2};
  apply::Scheduler s(steps);
  CHECK(s.next() == std::optional<size_t>(0));
  CHECK(s.next() == std::optional<size_t>(1));
  CHECK(s.next() == std::nullopt);
  s.finish(1, true);
  s.finish(0, false);
  CHECK(s.next() == std::nullopt);
  CHECK(s.take_skipped() == std::vector<size_t>{2, 3});
  CHECK(s.take_skipped().empty());
}

TEST_CASE("plain progress lines") {
  std::ostringstream out;
  apply::PlainProgress progress(out);
  plan::Step create{0, plan::StepKind::Create, machine("web"), "create", "", 0, {}};
  plan::Step destroy{1, plan::StepKind::Delete, machine("db"), "delete", "", 0, {}};
  progress.step_started(create);
  progress.step_finished(create, true, std::chrono::milliseconds(900),
                         sdk::Value::map({{"id", "m-0001"}}));
  progress.step_started(destroy);
  progress.step_finished(destroy, false, std::chrono::milliseconds(90'500), sdk::Value());
  CHECK(out.str() ==
        "fake.machine[\"web\"]: Creating...\n"
        "fake.machine[\"web\"]: Creation complete after 0s [id=m-0001]\n"
        "fake.machine[\"db\"]: Destroying...\n"
        "fake.machine[\"db\"]: Destruction failed after 1m30s\n");
  CHECK(apply::format_elapsed(std::chrono::milliseconds(3'725'000)) == "1h2m5s");
}
