// Unit tests of how the sim world is persisted: world.json as a snapshot plus world.journal records
// (providers/sim/world_store.h), replay by a second reader, torn and damaged records, compaction,
// hand edits of world.json, and rollback of a change that reports an error.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "providers/sdk/json.h"
#include "providers/sim/sim_provider.h"
#include "providers/sim/sim_schema.h"
#include "providers/sim/world.h"
#include "providers/sim/world_store.h"
#include "tests/unit/sim_fixtures.h"
#include "tests/unit/temp_dir.h"

namespace {

using kc::test::configure;
using kc::test::messages;

// A temporary directory named after this test file.
struct TempDir : kc::test::TempDir {
  TempDir() : kc::test::TempDir("kc-sim-persist") {}
};

using namespace kc;
using sdk::Value;
using Json = nlohmann::ordered_json;

constexpr int64_t kGi = int64_t{1} << 30;

std::string read_text(const std::string& path) {
  std::ifstream file(path);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

int64_t file_size(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

// Creates a machine named `name` through the provider and returns its state.
Value create_machine(sim::SimProvider& provider, const std::string& name, int64_t cpu = 2) {
  const std::string address = "sim.machine[\"" + name + "\"]";
  Value inputs = Value::map({{"cpu", cpu}, {"memory", sdk::ByteSize{4 * kGi}}, {"zone", "a"}});
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{"sim.machine", address, Value(), inputs});
  REQUIRE(plan.diagnostics.empty());
  sdk::ApplyResponse applied =
      provider.apply_change(sdk::ApplyRequest{"sim.machine", address, Value(), plan.planned, ""});
  REQUIRE_MESSAGE(applied.diagnostics.empty(), messages(applied.diagnostics));
  return applied.state;
}

sim::SimWorld load(const std::string& dir) {
  diag::Diagnostics d;
  std::optional<sim::SimWorld> world = sim::SimWorld::load(dir, d);
  REQUIRE_MESSAGE(world.has_value(), messages(d));
  return *world;
}

// The world's JSON without the snapshot generation, for comparing worlds read different ways.
std::string contents(const sim::SimWorld& world) {
  Json json = world.to_json();
  json.erase("generation");
  return json.dump();
}

// A change that needs no object attributes: a flag, a counter and an event.
bool mark(sim::WorldStore& store, const std::string& id) {
  diag::Diagnostics d;
  bool ok = store.modify(
      [&](sim::SimWorld& world, diag::Diagnostics&) {
        world.set_flag(id, "drained", true);
        world.next_id("sim.network");
        world.log("test.mark", id, Json{{"note", "line\nbreak"}});
        return true;
      },
      d);
  CHECK_MESSAGE(d.empty(), messages(d));
  return ok;
}

}  // namespace

TEST_CASE("sim persistence: changes after the first are journal records, folded on close") {
  TempDir dir;
  const std::string world_file = sim::world_path(dir.path);
  const std::string journal_file = sim::journal_path(dir.path);
  {
    sim::SimProvider provider;
    configure(provider, dir.path);
    create_machine(provider, "a");
    const std::string snapshot = read_text(world_file);
    CHECK(load(dir.path).generation() == 1);  // the first change writes the snapshot
    create_machine(provider, "b");
    create_machine(provider, "c");
    CHECK(read_text(world_file) == snapshot);  // not rewritten
    const std::vector<std::string> records = lines_of(read_text(journal_file));
    REQUIRE(records.size() == 2);
    for (const std::string& record : records) {
      CHECK(record.size() > 17);
      CHECK(record[16] == ' ');
      Json json = Json::parse(record.substr(17));
      CHECK(json["generation"] == 1);
      CHECK(json["events"].size() == 1);
    }

    sim::SimWorld world = load(dir.path);  // snapshot + journal
    REQUIRE(world.machines().size() == 3);
    CHECK(world.machines()[2].id == "m-0003");
    CHECK(world.counter() == 3);
    REQUIRE(world.events().size() == 3);
    CHECK(world.events()[2].seq == 3);
    CHECK(world.events()[2].kind == "machine.create");
  }
  // Closing the provider folded the journal: world.json alone is the whole world.
  CHECK(file_size(journal_file) == 0);
  diag::Diagnostics d;
  std::optional<sim::SimWorld> alone = sim::SimWorld::parse(read_text(world_file), world_file, d);
  REQUIRE(alone.has_value());
  CHECK(alone->machines().size() == 3);
  CHECK(alone->events().size() == 3);
  CHECK(alone->generation() == 2);
}

TEST_CASE("sim persistence: a second store replays only the records added since its last read") {
  TempDir dir;
  sim::WorldStore writer(dir.path);
  sim::WorldStore reader(dir.path, /*fold_on_close=*/false);
  REQUIRE(mark(writer, "x1"));  // writes the snapshot
  diag::Diagnostics d;
  REQUIRE(reader.current(d) != nullptr);
  CHECK(reader.journal_offset() == 0);
  REQUIRE(mark(writer, "x2"));
  REQUIRE(mark(writer, "x3"));
  const sim::SimWorld* seen = reader.current(d);
  REQUIRE(seen != nullptr);
  CHECK(reader.journal_offset() == file_size(sim::journal_path(dir.path)));
  CHECK(seen->has_flag("x3", "drained"));
  CHECK(seen->counter("sim.network") == 3);
  REQUIRE(seen->events().size() == 3);
  CHECK(seen->events()[2].details["note"] == "line\nbreak");
  CHECK(contents(*seen) == contents(*writer.current(d)));

  // The reader writes too: both keep one event log, numbered without gaps.
  REQUIRE(mark(reader, "y1"));
  REQUIRE(mark(writer, "x4"));
  const sim::SimWorld* both = reader.current(d);
  REQUIRE(both != nullptr);
  REQUIRE(both->events().size() == 5);
  for (size_t i = 0; i < both->events().size(); ++i)
    CHECK(both->events()[i].seq == static_cast<int64_t>(i + 1));
  CHECK(both->events()[3].id == "y1");
  CHECK(contents(*both) == contents(*writer.current(d)));
  CHECK(d.empty());
}

TEST_CASE("sim persistence: a torn last record is ignored and cut off by the next write") {
  TempDir dir;
  sim::WorldStore store(dir.path, /*fold_on_close=*/false);
  REQUIRE(mark(store, "a"));
  REQUIRE(mark(store, "b"));
  const std::string journal_file = sim::journal_path(dir.path);
  const std::string whole = read_text(journal_file);
  const std::string before = contents(load(dir.path));

  // What a writer killed in the middle of write(2) leaves: half a record, no newline.
  const std::string torn = whole.substr(0, whole.size() / 2);
  std::ofstream(journal_file, std::ios::app) << torn;
  CHECK(contents(load(dir.path)) == before);
  sim::WorldStore other(dir.path, /*fold_on_close=*/false);
  diag::Diagnostics d;
  REQUIRE(other.current(d) != nullptr);
  CHECK(contents(*other.current(d)) == before);

  // The next change starts on a line of its own; the torn bytes are gone.
  REQUIRE(mark(other, "c"));
  CHECK(read_text(journal_file).find(torn) == 0);  // the old records are still first
  CHECK(file_size(journal_file) > static_cast<int64_t>(whole.size()));
  CHECK(lines_of(read_text(journal_file)).size() == 2);
  sim::SimWorld after = load(dir.path);
  CHECK(after.has_flag("c", "drained"));
  CHECK(after.events().size() == 3);
  CHECK(contents(*store.current(d)) == contents(after));  // the first store replays it too

  // A record with a bad checksum is torn only at the end; before another one it is corruption.
  std::string text = read_text(journal_file);
  text[20] = text[20] == 'x' ? 'y' : 'x';
  std::ofstream(journal_file, std::ios::trunc) << text;
  diag::Diagnostics corrupt;
  CHECK_FALSE(sim::SimWorld::load(dir.path, corrupt).has_value());
  REQUIRE(corrupt.error_count() == 1);
  CHECK(corrupt.all()[0].code == diag::Code::E0504);
  CHECK(corrupt.all()[0].message.find("corrupt sim journal") != std::string::npos);
}

TEST_CASE("sim persistence: compaction rewrites the snapshot and empties the journal") {
  TempDir dir;
  const std::string journal_file = sim::journal_path(dir.path);
  sim::WorldStore store(dir.path, /*fold_on_close=*/false);
  store.set_compaction_bytes(1);  // compact once the journal is twice the snapshot
  for (int i = 0; i < 40; ++i)
    REQUIRE(mark(store, "n" + std::to_string(i)));
  sim::SimWorld world = load(dir.path);
  CHECK(world.events().size() == 40);
  CHECK(world.counter("sim.network") == 40);
  CHECK(world.generation() > 2);  // compacted on the way
  const int64_t snapshot = file_size(sim::world_path(dir.path));
  CHECK(file_size(journal_file) <= 2 * snapshot + 400);

  // A crash between writing the snapshot and emptying the journal leaves records of the previous
  // generation behind: they are skipped, not applied twice.
  const std::string old_records = read_text(journal_file);
  diag::Diagnostics d;
  REQUIRE(store.compact(d));
  CHECK(file_size(journal_file) == 0);
  const std::string complete = contents(load(dir.path));
  std::ofstream(journal_file, std::ios::trunc) << old_records;
  CHECK(contents(load(dir.path)) == complete);
  REQUIRE(mark(store, "after"));
  sim::SimWorld next = load(dir.path);
  CHECK(next.events().size() == 41);
  CHECK(next.has_flag("after", "drained"));
}

TEST_CASE("sim persistence: hand edits of world.json are seen by a store with a cached world") {
  TempDir dir;
  const std::string world_file = sim::world_path(dir.path);
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value state = create_machine(provider, "a");
  create_machine(provider, "b");
  sim::WorldStore reader(dir.path, /*fold_on_close=*/false);
  diag::Diagnostics d;
  REQUIRE(reader.current(d) != nullptr);

  // Folded (as at the end of a kc run), then edited by hand like the tests' python does.
  sim::WorldStore(dir.path).fold(d);
  Json json = Json::parse(read_text(world_file));
  REQUIRE(json["machines"].contains("m-0001"));
  json["machines"]["m-0001"]["cpu"] = 7;
  std::ofstream(world_file, std::ios::trunc) << json.dump(2);

  const sim::SimWorld* seen = reader.current(d);
  REQUIRE(seen != nullptr);
  const sim::SimObject* edited = seen->find("m-0001");
  REQUIRE(edited != nullptr);
  CHECK(edited->attributes.find("cpu")->as_int() == 7);
  sdk::ReadResponse read =
      provider.read(sdk::ReadRequest{"sim.machine", "sim.machine[\"a\"]", state, ""});
  REQUIRE(read.diagnostics.empty());
  CHECK(read.state.find("cpu")->as_int() == 7);  // drift, as before the journal

  // The next change follows the edited world.
  create_machine(provider, "c");
  sim::SimWorld after = load(dir.path);
  CHECK(after.find("m-0001")->attributes.find("cpu")->as_int() == 7);
  CHECK(after.machines().size() == 3);
  CHECK(d.empty());
}

TEST_CASE("sim persistence: a change that reports an error leaves the world as it was") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value made = create_machine(provider, "a");
  create_machine(provider, "b");
  sim::WorldStore store(dir.path, /*fold_on_close=*/false);
  diag::Diagnostics d;
  REQUIRE(store.current(d) != nullptr);
  const std::string before = contents(*store.current(d));
  const std::string journal_before = read_text(sim::journal_path(dir.path));

  diag::Diagnostics failed;
  CHECK_FALSE(store.modify(
      [&](sim::SimWorld& world, diag::Diagnostics& diagnostics) {
        int64_t run = 0;
        world.begin_change(&run, "x");
        sdk::Entries attributes = made.as_map();
        const std::string id = world.next_id(sim::kMachineType);
        for (auto& [name, value] : attributes)
          if (name == "id") value = Value(id);
        world.insert(sim::kMachineType, sim::SimObject{id, Value::map(attributes)});
        world.remember_key("key-1", id);
        world.update(sim::kMachineType, "m-0001", Value::map({{"id", "m-0001"}}));
        world.erase(sim::kMachineType, "m-0002");
        world.set_flag("m-0001", "drained", true);
        world.nodes()["m-0001"] = sim::SimNode{"m-0001", "n", "prod", true, false};
        world.pods().push_back(sim::SimPod{"web-1", "prod", "m-0001", "web"});
        world.budgets().push_back(sim::SimBudget{"web", "prod", 1});
        diagnostics.error(diag::Code::E0504, source::Span{}, "refused");
        return true;
      },
      failed));
  CHECK(failed.error_count() == 1);
  CHECK(contents(*store.current(d)) == before);
  CHECK(read_text(sim::journal_path(dir.path)) == journal_before);  // nothing written
  CHECK(contents(load(dir.path)) == before);

  // A change that reports no change is not written either.
  CHECK(store.modify(
      [&](sim::SimWorld& world, diag::Diagnostics&) {
        world.set_flag("m-0001", "drained", true);
        return false;
      },
      d));
  CHECK(contents(*store.current(d)) == before);
  CHECK(read_text(sim::journal_path(dir.path)) == journal_before);

  // Workload sections, keys and erasures survive the journal.
  CHECK(store.modify(
      [&](sim::SimWorld& world, diag::Diagnostics&) {
        world.nodes()["m-0001"] = sim::SimNode{"m-0001", "n", "prod", true, true};
        world.pods().push_back(sim::SimPod{"web-1", "prod", "m-0001", "web"});
        world.budgets().push_back(sim::SimBudget{"web", "prod", 1});
        world.remember_key("key-2", "m-0002");
        world.erase(sim::kMachineType, "m-0002");  // forgets key-2 again
        world.remember_key("key-1", "m-0001");
        return true;
      },
      d));
  sim::SimWorld replayed = load(dir.path);
  CHECK(contents(replayed) == contents(*store.current(d)));
  CHECK(replayed.nodes().at("m-0001").cordoned);
  CHECK(replayed.pods().size() == 1);
  CHECK(replayed.budgets().size() == 1);
  CHECK(replayed.find("m-0002") == nullptr);
  CHECK(replayed.find_by_key(sim::kMachineType, "key-2") == nullptr);
  REQUIRE(replayed.find_by_key(sim::kMachineType, "key-1") != nullptr);
  CHECK(replayed.find_by_key(sim::kMachineType, "key-1")->id == "m-0001");
  CHECK(d.empty());
}
