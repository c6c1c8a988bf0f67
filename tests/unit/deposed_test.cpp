// Unit tests of deposed objects (state.h DeposedObject): the old object of a create_before_destroy
// replacement whose delete has not succeeded. Covers their state-file and journal round trips, the
// executor deposing the old object when the create half succeeds, the next plan deleting it, and
// refresh and adopt_pending keeping them right.
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/apply/apply.h"
#include "runtime/plan/diff.h"
#include "runtime/plan/refresh.h"
#include "runtime/plan/render_json.h"
#include "runtime/plan/render_text.h"
#include "runtime/state/codec.h"
#include "runtime/state/journal.h"
#include "tests/unit/runtime_fakes.h"

using namespace kc;
using testing::machine;

namespace {

state::ResourceState old_machine(const std::string& label) {
  state::ResourceState r;
  r.address = machine(label);
  r.type = "fake.machine";
  r.provider = "fake";
  r.attributes = sdk::Value::map({{"cpu", 1}, {"zone", "a"}, {"id", "m-old"}, {"ip", "10.0.0.9"}});
  r.dependencies = {machine("net")};
  r.sensitive = {"password"};
  r.rollout.group = "pool";
  r.rollout.max_surge = eval::RolloutBound{false, 1};
  r.hooks["before_destroy"] = {"drain"};
  return r;
}

class SilentProgress final : public apply::ProgressSink {
 public:
  void step_started(const plan::Step&) override {}
  void step_finished(const plan::Step&, bool, std::chrono::milliseconds,
                     const sdk::Value&) override {}
  void message(const std::string&) override {}
};

struct Fixture {
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  testing::MemoryBackend backend;
  SilentProgress progress;
  eval::DesiredState desired;
  state::State state;
  apply::ApplyOptions options;

  Fixture() {
    providers.add(&provider);
    options.parallelism = 1;
    state.lineage = "lineage-1";
  }
  void want(const char* zone, bool cbd) {
    desired.resources.clear();
    eval::DesiredResource r =
        testing::desired_machine("web", sdk::Value::map({{"cpu", 1}, {"zone", zone}}));
    r.lifecycle.create_before_destroy = cbd;
    desired.resources.push_back(std::move(r));
  }
  plan::Plan plan() {
    diag::Diagnostics diags;
    plan::Plan p = plan::make_plan(desired, state, providers, diags);
    REQUIRE(diags.empty());
    return p;
  }
  apply::ApplyResult run(const plan::Plan& p) {
    return apply::apply_plan(p, state, providers, backend, nullptr, progress, options);
  }
};

}  // namespace

TEST_CASE("deposed objects: the state file round-trips them and omits the list when empty") {
  testing::FakeProviders providers;
  testing::FakeProvider provider;
  providers.add(&provider);
  state::State s;
  s.lineage = "l";
  s.serial = 3;
  s.upsert(old_machine("web"));
  CHECK(state::encode_state(s).find("\"deposed\"") == std::string::npos);  // old files unchanged

  s.add_deposed({"0000beef", old_machine("web")});
  s.add_deposed({"0000abcd", old_machine("web")});
  s.add_deposed({"00000001", old_machine("api")});
  std::string text = state::encode_state(s);
  diag::Diagnostics diags;
  std::optional<state::State> back = state::decode_state(text, providers, "state.json", diags);
  REQUIRE(back);
  CHECK(diags.empty());
  CHECK(state::encode_state(*back) == text);
  REQUIRE(back->deposed.size() == 3);
  // Sorted by (address, key).
  CHECK(back->deposed[0].resource.address == machine("api"));
  CHECK(back->deposed[1].key == "0000abcd");
  CHECK(back->deposed[2].key == "0000beef");
  const state::DeposedObject* d = back->find_deposed(machine("web"), "0000beef");
  REQUIRE(d);
  CHECK(d->resource.attributes == old_machine("web").attributes);
  CHECK(d->resource.dependencies == std::vector<std::string>{machine("net")});
  CHECK(d->resource.sensitive == std::vector<std::string>{"password"});
  CHECK(d->resource.rollout.group == "pool");
  CHECK(d->resource.hooks.at("before_destroy") == std::vector<std::string>{"drain"});

  // A damaged entry is E0506, never a throw.
  std::string broken = text;
  broken.replace(broken.find("\"key\": \"00000001\""), 17, "\"key\": 7");
  diag::Diagnostics bad;
  CHECK_FALSE(state::decode_state(broken, providers, "state.json", bad));
  REQUIRE(bad.all().size() == 1);
  CHECK(bad.all()[0].code == diag::Code::E0506);
}

TEST_CASE("deposed objects: depose and drop_deposed journal records replay exactly") {
  testing::FakeProviders providers;
  testing::FakeProvider provider;
  providers.add(&provider);
  state::State base;
  base.lineage = "l";
  base.serial = 2;
  base.upsert(old_machine("web"));

  state::JournalEntry depose;
  depose.kind = state::JournalEntry::Kind::Depose;
  depose.address = machine("web");
  depose.deposed = {"12345678", old_machine("web")};
  state::JournalEntry upsert;
  upsert.kind = state::JournalEntry::Kind::Upsert;
  upsert.resource = old_machine("web");
  upsert.resource.attributes = testing::with(upsert.resource.attributes, "id", "m-new");
  state::JournalEntry drop;
  drop.kind = state::JournalEntry::Kind::DropDeposed;
  drop.address = machine("web");
  drop.deposed.key = "12345678";

  // Each record decodes back to the same line.
  for (const state::JournalEntry& e : {depose, upsert, drop}) {
    std::string line = state::journal_record(e);
    std::string text = state::journal_header("l", 2) + line;
    state::State replayed = base;
    state::JournalReplay r = state::replay_journal(text, replayed, providers);
    CHECK(r.applied == 1);
    CHECK_FALSE(r.torn);
  }

  std::string header = state::journal_header("l", 2);
  std::string after_depose = header + state::journal_record(depose);
  std::string after_upsert = after_depose + state::journal_record(upsert);
  std::string after_drop = after_upsert + state::journal_record(drop);

  // Killed after the depose record: the old object is deposed, nothing is lost.
  state::State s1 = base;
  state::replay_journal(after_depose, s1, providers);
  CHECK(s1.find(machine("web")) == nullptr);
  REQUIRE(s1.find_deposed(machine("web"), "12345678"));
  CHECK(state::encode_state(*&s1).find("m-old") != std::string::npos);

  // After the upsert: both objects are named.
  state::State s2 = base;
  state::replay_journal(after_upsert, s2, providers);
  REQUIRE(s2.find(machine("web")));
  CHECK(s2.find(machine("web"))->attributes.find("id")->as_string() == "m-new");
  REQUIRE(s2.deposed.size() == 1);
  CHECK(s2.deposed[0].resource.attributes.find("id")->as_string() == "m-old");
  CHECK(s2.deposed[0].resource.hooks == old_machine("web").hooks);

  // After the drop: only the new one.
  state::State s3 = base;
  CHECK(state::replay_journal(after_drop, s3, providers).applied == 3);
  CHECK(s3.deposed.empty());
  CHECK(s3.find(machine("web")));

  // The replayed state round-trips like the state file.
  diag::Diagnostics diags;
  std::optional<state::State> back =
      state::decode_state(state::encode_state(s2), providers, "state.json", diags);
  REQUIRE(back);
  CHECK(state::encode_state(*back) == state::encode_state(s2));
}

TEST_CASE(
    "deposed objects: a failed delete after a create_before_destroy create keeps the old "
    "object deposed, and the next plan deletes it") {
  Fixture f;
  f.want("a", true);
  REQUIRE(f.run(f.plan()).ok());
  REQUIRE(f.state.find(machine("web")));
  sdk::Value old_attributes = f.state.find(machine("web"))->attributes;
  CHECK(old_attributes.find("id")->as_string() == "m-0001");

  f.want("b", true);
  f.provider.fail_delete.insert(machine("web"));
  f.provider.log.clear();
  size_t saves_before = f.backend.saves.size();
  apply::ApplyResult failed = f.run(f.plan());
  CHECK_FALSE(failed.ok());
  CHECK(failed.failed == 1);
  CHECK(f.provider.log ==
        std::vector<std::string>{"create " + machine("web"), "delete " + machine("web")});
  const state::ResourceState* current = f.state.find(machine("web"));
  REQUIRE(current);
  CHECK(current->attributes.find("id")->as_string() == "m-0002");
  REQUIRE(f.state.deposed.size() == 1);
  const state::DeposedObject& deposed = f.state.deposed[0];
  CHECK(deposed.key.size() == 8);
  CHECK(deposed.resource.attributes == old_attributes);
  // The depose was saved before (with) the upsert of the new object, never after it.
  REQUIRE(f.backend.saves.size() >= saves_before + 2);
  bool saw_both = false;
  for (size_t i = saves_before; i < f.backend.saves.size(); ++i) {
    const state::State& saved = f.backend.saves[i];
    const state::ResourceState* at = saved.find(machine("web"));
    bool names_old = (at && at->attributes.find("id")->as_string() == "m-0001") ||
                     saved.find_deposed(machine("web"), deposed.key);
    CHECK(names_old);
    if (at && at->attributes.find("id")->as_string() == "m-0002" &&
        saved.find_deposed(machine("web"), deposed.key)) {
      saw_both = true;
    }
  }
  CHECK(saw_both);

  // The next plan deletes the deposed object, and only it.
  f.provider.fail_delete.clear();
  plan::Plan next = f.plan();
  REQUIRE(next.changes.size() == 2);
  CHECK(next.changes[0].deposed.empty());
  CHECK(next.changes[0].action == plan::Action::NoOp);
  const plan::ResourceChange* del = next.find(machine("web"), deposed.key);
  REQUIRE(del);
  CHECK(del->action == plan::Action::Delete);
  CHECK(del->before == old_attributes);
  CHECK(next.summary.destroy == 1);
  REQUIRE(next.steps.size() == 1);
  CHECK(next.steps[0].kind == plan::StepKind::Delete);
  CHECK(next.steps[0].deposed == deposed.key);
  std::string text = plan::render_plan_text(next, false);
  CHECK(text.find(machine("web") + " (deposed object " + deposed.key + ") will be destroyed") !=
        std::string::npos);
  CHECK(text.find("delete " + machine("web") + " (deposed object " + deposed.key + ")") !=
        std::string::npos);
  CHECK(plan::render_plan_json(next)["changes"][1]["deposed"] == deposed.key);

  f.provider.log.clear();
  apply::ApplyResult cleaned = f.run(next);
  CHECK(cleaned.ok());
  CHECK(cleaned.deleted == 1);
  CHECK(f.provider.log == std::vector<std::string>{"delete " + machine("web")});
  CHECK(f.state.deposed.empty());
  REQUIRE(f.state.find(machine("web")));
  CHECK(f.state.find(machine("web"))->attributes.find("id")->as_string() == "m-0002");
  CHECK_FALSE(f.plan().has_changes());
}

TEST_CASE("deposed objects: a destroy plan deletes them too") {
  Fixture f;
  f.state.upsert(old_machine("web"));
  f.state.add_deposed({"aaaa0001", old_machine("web")});
  // fake.machine declares no actions: no hooks here.
  for (state::ResourceState* r : {f.state.find(machine("web")), &f.state.deposed[0].resource}) {
    r->dependencies.clear();
    r->hooks.clear();
  }
  diag::Diagnostics diags;
  plan::Plan p = plan::make_destroy_plan(f.state, f.providers, diags);
  CHECK(diags.empty());
  REQUIRE(p.changes.size() == 2);
  CHECK(p.summary.destroy == 2);
  CHECK(p.changes[1].deposed == "aaaa0001");
  REQUIRE(p.steps.size() == 2);
  // Both are in rollout group "pool": the deposed object, a surplus member, goes in the first wave.
  CHECK(p.steps[0].deposed == "aaaa0001");
  CHECK(p.steps[1].deposed.empty());
  CHECK(p.steps[1].wave == p.steps[0].wave + 1);
}

TEST_CASE("deposed objects: refresh drops one the provider reports gone") {
  Fixture f;
  f.state.add_deposed({"aaaa0001", old_machine("gone")});
  f.state.add_deposed({"aaaa0002", old_machine("kept")});
  f.provider.world[machine("kept")] = testing::with(old_machine("kept").attributes, "cpu", 2);
  diag::Diagnostics diags;
  plan::refresh(f.state, f.providers, {}, diags);
  CHECK(diags.empty());
  REQUIRE(f.state.deposed.size() == 1);
  CHECK(f.state.deposed[0].key == "aaaa0002");
  CHECK(f.state.deposed[0].resource.attributes.find("cpu")->as_int() == 2);
}

TEST_CASE("deposed objects: adopting a pending create over a stored object deposes that object") {
  Fixture f;
  // A create_before_destroy replace killed after its create, before the depose record.
  f.state.upsert(old_machine("web"));
  f.state.add_pending({machine("web"), "fake.machine", "fake", "l/web/nonce"});
  f.provider.world[machine("web")] = testing::with(old_machine("web").attributes, "id", "m-new");
  state::State twin = f.state;
  diag::Diagnostics diags;
  std::vector<plan::Drift> adopted = plan::adopt_pending(f.state, f.providers, nullptr, diags);
  CHECK(diags.empty());
  CHECK(adopted.size() == 1);
  CHECK(f.state.pending.empty());
  REQUIRE(f.state.find(machine("web")));
  CHECK(f.state.find(machine("web"))->attributes.find("id")->as_string() == "m-new");
  REQUIRE(f.state.deposed.size() == 1);
  CHECK(f.state.deposed[0].resource.attributes.find("id")->as_string() == "m-old");
  // The key depends only on the pending record, so a saved plan made from it still applies.
  plan::adopt_pending(twin, f.providers, nullptr, diags);
  REQUIRE(twin.deposed.size() == 1);
  CHECK(twin.deposed[0].key == f.state.deposed[0].key);
}
