// Unit tests of the state journal (runtime/state/journal.*, LocalBackend::record/sync/load/save):
// round trips, torn tails at every byte, damaged records, stale journals, pending creates in the
// state file, and the adoption of pending creates by refresh (runtime/plan/refresh.h).
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/plan/refresh.h"
#include "runtime/plan/render_drift.h"
#include "runtime/state/codec.h"
#include "runtime/state/journal.h"
#include "runtime/state/local_backend.h"
#include "tests/unit/runtime_fakes.h"

namespace fs = std::filesystem;
using namespace kc;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kc-journal-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_text(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

state::ResourceState machine_state(const std::string& label, int cpu) {
  state::ResourceState r;
  r.address = testing::machine(label);
  r.type = "fake.machine";
  r.provider = "fake";
  r.attributes = sdk::Value::map({{"cpu", cpu},
                                  {"memory", sdk::ByteSize{int64_t{4} << 30}},
                                  {"zone", "a"},
                                  {"password", "hunter2"},
                                  {"id", "m-" + label}});
  return r;
}

state::JournalEntry upsert(state::ResourceState r) {
  state::JournalEntry e;
  e.kind = state::JournalEntry::Kind::Upsert;
  e.resource = std::move(r);
  return e;
}
state::JournalEntry remove(const std::string& address) {
  state::JournalEntry e;
  e.kind = state::JournalEntry::Kind::Remove;
  e.address = address;
  return e;
}
state::JournalEntry pending(const std::string& label, const std::string& key) {
  state::JournalEntry e;
  e.kind = state::JournalEntry::Kind::Pending;
  e.pending = {testing::machine(label), "fake.machine", "fake", key};
  return e;
}

// Applies `entry` to `state` as the executor does, then records it.
void step(state::LocalBackend& backend, state::State& s, const state::JournalEntry& entry) {
  state::apply_journal_entry(s, entry);
  diag::Diagnostics d = backend.record(s, entry);
  REQUIRE(d.empty());
}

struct Fixture {
  TempDir dir;
  testing::FakeProvider provider;
  testing::FakeProviders providers;
  std::string path;
  Fixture() {
    providers.add(&provider);
    path = state::LocalBackend::default_path(dir.path.string());
  }
  state::State load(diag::Diagnostics& diags) {
    state::LocalBackend backend(path);
    std::optional<state::State> s = backend.load(providers, diags);
    REQUIRE(s);
    return *s;
  }
  state::State load() {
    diag::Diagnostics diags;
    state::State s = load(diags);
    CHECK(diags.empty());
    return s;
  }
};

// A backend with a saved state (web) and a journal of `entries` recorded after it; `expected` is
// the in-memory state after them.
struct Journaled {
  state::State expected;
  std::vector<size_t> line_ends;  // byte offset after each journal line
};

Journaled write_journal(Fixture& f, const std::vector<state::JournalEntry>& entries) {
  state::LocalBackend backend(f.path);
  diag::Diagnostics diags;
  std::optional<state::State> s = backend.load(f.providers, diags);
  REQUIRE(s);
  s->upsert(machine_state("web", 2));
  REQUIRE(backend.save(*s).empty());
  // The first record saves once (serial 2) and starts the journal: a no-op upsert of web.
  step(backend, *s, upsert(machine_state("web", 2)));
  for (const state::JournalEntry& e : entries)
    step(backend, *s, e);
  REQUIRE(backend.sync().empty());
  Journaled out{*s, {}};
  std::string text = read_text(backend.journal_path());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') out.line_ends.push_back(i + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("journal: records replay on load exactly like the state file round-trips") {
  Fixture f;
  state::ResourceState db = machine_state("db", 4);
  db.dependencies = {testing::machine("web")};
  db.sensitive = {"password"};
  db.prevent_destroy = true;
  db.rollout.group = "dbs";
  db.rollout.max_surge = eval::RolloutBound{true, 25};
  db.hooks["before_destroy"] = {"drain"};
  Journaled j =
      write_journal(f, {pending("db", "k-db"), upsert(db), pending("cache", "k-cache"),
                        upsert(machine_state("web", 8)), remove(testing::machine("web"))});
  state::LocalBackend backend(f.path);
  CHECK(fs::exists(backend.journal_path()));
  CHECK(j.line_ends.size() == 6);  // header + 5 records (the first record was folded by a save)

  state::State loaded = f.load();
  CHECK(loaded.serial == 2);
  CHECK(state::encode_state(loaded) == state::encode_state(j.expected));
  REQUIRE(loaded.resources.size() == 1);
  CHECK(loaded.resources[0].address == testing::machine("db"));
  // The upsert of db settled its pending create; cache's is still open.
  REQUIRE(loaded.pending.size() == 1);
  CHECK(loaded.pending[0].key == "k-cache");

  // save() folds the journal into the state file and deletes it.
  REQUIRE(backend.save(loaded).empty());
  CHECK_FALSE(fs::exists(backend.journal_path()));
  CHECK(state::encode_state(f.load()) == state::encode_state(loaded));
}

TEST_CASE("journal: the first record saves once and bumps the serial; later ones append only") {
  Fixture f;
  state::LocalBackend backend(f.path);
  diag::Diagnostics diags;
  std::optional<state::State> s = backend.load(f.providers, diags);
  REQUIRE(s);
  CHECK(s->serial == 0);
  step(backend, *s, pending("web", "k1"));
  CHECK(s->serial == 1);  // a run that journals makes saved plans made before it stale
  std::string stored = read_text(f.path);
  for (int i = 0; i < 20; ++i)
    step(backend, *s, upsert(machine_state("m" + std::to_string(i), i + 1)));
  CHECK(read_text(f.path) == stored);  // O(step) records: the state file is not rewritten
  CHECK(s->serial == 1);
  REQUIRE(backend.sync().empty());
  CHECK(f.load().resources.size() == 20);
}

TEST_CASE("journal: a torn last record at any byte is ignored, the others replay") {
  Fixture f;
  Journaled j =
      write_journal(f, {upsert(machine_state("db", 4)), pending("cache", "k-cache"),
                        upsert(machine_state("cache", 1)), remove(testing::machine("db"))});
  state::LocalBackend backend(f.path);
  std::string text = read_text(backend.journal_path());
  REQUIRE(j.line_ends.size() == 5);
  size_t last_start = j.line_ends[3];
  // Without the last record (a Remove of db): db is still there.
  state::State before_last = j.expected;
  before_last.upsert(machine_state("db", 4));

  for (size_t cut = last_start; cut < text.size(); ++cut) {
    CAPTURE(cut);
    write_text(backend.journal_path(), text.substr(0, cut));
    state::State loaded = f.load();  // no diagnostic: a torn tail is normal after a kill
    CHECK(state::encode_state(loaded) == state::encode_state(before_last));
  }
  // Garbage (or zeros from a lost write) in place of the last record is torn too.
  write_text(backend.journal_path(), text.substr(0, last_start) + std::string(40, '\0') + "\n");
  CHECK(state::encode_state(f.load()) == state::encode_state(before_last));

  write_text(backend.journal_path(), text);
  CHECK(state::encode_state(f.load()) == state::encode_state(j.expected));
}

TEST_CASE("journal: a damaged record in the middle is a warning; the records before it stay") {
  Fixture f;
  Journaled j = write_journal(f, {upsert(machine_state("a", 1)), upsert(machine_state("b", 2)),
                                  upsert(machine_state("c", 3))});
  state::LocalBackend backend(f.path);
  std::string text = read_text(backend.journal_path());
  // Flip one byte inside the record of b (line 3): its checksum no longer matches.
  size_t inside = j.line_ends[1] + 20;
  text[inside] = text[inside] == 'x' ? 'y' : 'x';
  write_text(backend.journal_path(), text);

  diag::Diagnostics diags;
  state::State loaded = f.load(diags);
  CHECK_FALSE(diags.has_errors());
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].severity == diag::Severity::Warning);
  CHECK(diags.all()[0].code == diag::Code::E0506);
  CHECK(diags.all()[0].message.find("line 3") != std::string::npos);
  CHECK(loaded.find(testing::machine("a")) != nullptr);
  CHECK(loaded.find(testing::machine("b")) == nullptr);
  CHECK(loaded.find(testing::machine("c")) == nullptr);
}

TEST_CASE("journal: a stale journal (from before a later save) is ignored") {
  Fixture f;
  write_journal(f, {upsert(machine_state("db", 4))});
  state::LocalBackend backend(f.path);
  std::string old_journal = read_text(backend.journal_path());

  state::State s = f.load();
  REQUIRE(s.find(testing::machine("db")));
  s.remove(testing::machine("db"));
  s.upsert(machine_state("web", 16));
  REQUIRE(backend.save(s).empty());
  CHECK_FALSE(fs::exists(backend.journal_path()));

  // The unlink of the folded journal did not survive a crash: the old one is back.
  write_text(backend.journal_path(), old_journal);
  state::State loaded = f.load();
  CHECK(loaded.serial == s.serial);
  CHECK(loaded.find(testing::machine("db")) == nullptr);
  CHECK(*loaded.find(testing::machine("web"))->attributes.find("cpu") == sdk::Value(16));

  // A journal of another lineage is ignored too.
  std::string foreign = state::journal_header("00000000-0000-4000-8000-000000000000", s.serial) +
                        state::journal_record(remove(testing::machine("web")));
  write_text(backend.journal_path(), foreign);
  CHECK(f.load().find(testing::machine("web")) != nullptr);
}

TEST_CASE("state file: pending creates round-trip and are absent from older files") {
  testing::FakeProviders providers;
  state::State s;
  s.lineage = "0b6f7a1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b";
  s.serial = 3;
  CHECK(state::encode_state(s).find("pending") == std::string::npos);
  s.add_pending({testing::machine("b"), "fake.machine", "fake", "key-b"});
  s.add_pending({testing::machine("a"), "fake.machine", "fake", "key-a"});
  std::string text = state::encode_state(s);
  diag::Diagnostics diags;
  std::optional<state::State> back = state::decode_state(text, providers, "state.json", diags);
  REQUIRE(back);
  CHECK(diags.empty());
  REQUIRE(back->pending.size() == 2);
  CHECK(back->pending[0].address == testing::machine("a"));
  CHECK(back->pending[0].key == "key-a");
  CHECK(back->pending[1].type == "fake.machine");
  CHECK(back->pending[1].provider == "fake");
  CHECK(state::encode_state(*back) == text);

  diag::Diagnostics bad;
  CHECK_FALSE(state::decode_state(
      R"({"format_version":1,"lineage":"x","serial":1,"pending":[{"address":"a"}]})", providers,
      "state.json", bad));
  CHECK(bad.has_errors());
}

namespace {

// Finds objects by idempotency key: `made` maps keys to the attributes a create with that key made.
class KeyedProvider final : public sdk::Provider {
 public:
  KeyedProvider() : schema_(testing::fake_schema()) {}
  std::map<std::string, sdk::Value> made;
  std::vector<std::string> keys_read;

  const sdk::ProviderSchema& schema() const override { return schema_; }
  diag::Diagnostics configure(const sdk::ConfigureRequest&) override { return {}; }
  diag::Diagnostics validate(const sdk::ValidateRequest&) override { return {}; }
  sdk::ReadResponse read(const sdk::ReadRequest& request) override {
    sdk::ReadResponse response;
    keys_read.push_back(request.idempotency_key);
    if (!request.state.is_null() || request.idempotency_key.empty()) {
      response.diagnostics.error(diag::Code::E0504, source::Span{}, "expected a read by key");
      return response;
    }
    auto it = made.find(request.idempotency_key);
    if (it != made.end()) response.state = it->second;
    return response;
  }
  sdk::PlanResponse plan_change(const sdk::PlanRequest&) override { return {}; }
  sdk::ApplyResponse apply_change(const sdk::ApplyRequest&) override { return {}; }

 private:
  sdk::ProviderSchema schema_;
};

}  // namespace

TEST_CASE("refresh adopts what an interrupted create made, and drops creates that made nothing") {
  KeyedProvider provider;
  testing::FakeProviders providers;
  providers.add(&provider);
  sdk::Value made = sdk::Value::map({{"cpu", 2}, {"password", "hunter2"}, {"id", "m-0007"}});
  provider.made["key-a"] = made;
  provider.made["key-done"] = machine_state("done", 1).attributes;

  state::State s;
  s.upsert(machine_state("web", 1));
  s.upsert(machine_state("done", 1));
  s.add_pending({testing::machine("a"), "fake.machine", "fake", "key-a"});
  s.add_pending({testing::machine("b"), "fake.machine", "fake", "key-b"});
  s.add_pending({testing::machine("done"), "fake.machine", "fake", "key-done"});
  s.add_pending({"other.thing[\"x\"]", "other.thing", "other", "key-x"});

  eval::DesiredState desired;
  desired.resources.push_back(
      testing::desired_machine("a", sdk::Value::map({{"cpu", 2}}), {testing::machine("web")}));
  desired.resources.back().rollout.group = "g";

  diag::Diagnostics diags;
  std::vector<plan::Drift> drift = plan::adopt_pending(s, providers, &desired, diags);

  // The provider that is missing keeps its record, with an E0504.
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].code == diag::Code::E0504);
  REQUIRE(s.pending.size() == 1);
  CHECK(s.pending[0].address == "other.thing[\"x\"]");
  CHECK(provider.keys_read.size() == 3);

  // `a` was made: it is stored ready, with what the configuration says about it.
  const state::ResourceState* a = s.find(testing::machine("a"));
  REQUIRE(a);
  CHECK(a->attributes == made);
  CHECK(a->type == "fake.machine");
  CHECK(a->provider == "fake");
  CHECK(a->status == "ready");
  CHECK(a->dependencies == std::vector<std::string>{testing::machine("web")});
  CHECK(a->rollout.group == "g");
  CHECK(a->sensitive == std::vector<std::string>{"password"});
  // `b` made nothing; `done` was recorded after all: neither is drift.
  CHECK(s.find(testing::machine("b")) == nullptr);
  CHECK(s.resources.size() == 3);
  REQUIRE(drift.size() == 1);
  CHECK(drift[0].address == testing::machine("a"));
  CHECK(drift[0].action == plan::Action::Create);
  CHECK(drift[0].before.is_null());

  std::string text = plan::render_drift_text(drift, false);
  CHECK(text.find("fake.machine[\"a\"] was created by an interrupted apply") != std::string::npos);
  CHECK(text.find("hunter2") == std::string::npos);
  CHECK(plan::render_drift_json(drift)[0]["action"] == "create");
}
