// Unit tests of the sim provider's idempotency keys: a create carrying a key makes one object
// however often it is sent, and a read by key (null state) finds that object, across provider
// instances.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "providers/sim/sim_provider.h"
#include "providers/sim/world.h"
#include "tests/unit/sim_fixtures.h"
#include "tests/unit/temp_dir.h"

namespace {

// A temporary directory named after this test file.
struct TempDir : kc::test::TempDir {
  TempDir() : kc::test::TempDir("kc-sim-key-test") {}
};

using namespace kc;
using kc::test::configure;
using sdk::Value;

constexpr const char* kAddress = "sim.machine[\"web\"]";

Value planned_machine(sdk::Provider& provider) {
  Value inputs =
      Value::map({{"cpu", int64_t{2}}, {"memory", sdk::ByteSize{int64_t{4} << 30}}, {"zone", "a"}});
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{"sim.machine", kAddress, Value(), inputs});
  REQUIRE(plan.diagnostics.empty());
  return plan.planned;
}

sdk::ApplyResponse create_with_key(sdk::Provider& provider, const std::string& key) {
  return provider.apply_change(
      sdk::ApplyRequest{"sim.machine", kAddress, Value(), planned_machine(provider), key});
}

size_t machine_count(const std::string& dir) {
  diag::Diagnostics diagnostics;
  std::optional<sim::SimWorld> world = sim::SimWorld::load(dir, diagnostics);
  REQUIRE(world);
  return world->machines().size();
}

}  // namespace

TEST_CASE("sim: a create repeated with the same idempotency key returns the first object") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);

  sdk::ApplyResponse first = create_with_key(provider, "key-1");
  REQUIRE(first.diagnostics.empty());
  REQUIRE(first.state.find("id"));
  CHECK(machine_count(dir.path) == 1);

  // The resumed run after a crash is another provider instance (another process).
  sim::SimProvider resumed;
  configure(resumed, dir.path);
  sdk::ApplyResponse again = create_with_key(resumed, "key-1");
  REQUIRE(again.diagnostics.empty());
  CHECK(again.state == first.state);
  CHECK(machine_count(dir.path) == 1);

  // Another key, or none, makes another object.
  sdk::ApplyResponse other = create_with_key(resumed, "key-2");
  REQUIRE(other.diagnostics.empty());
  CHECK(*other.state.find("id") != *first.state.find("id"));
  sdk::ApplyResponse keyless = create_with_key(resumed, "");
  REQUIRE(keyless.diagnostics.empty());
  CHECK(machine_count(dir.path) == 3);

  // The key is world-only data: never an attribute of the object.
  CHECK(first.state.find("idempotency_key") == nullptr);
}

TEST_CASE("sim: read by idempotency key finds what the create made, and nothing after a delete") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);

  sdk::ReadResponse before =
      provider.read(sdk::ReadRequest{"sim.machine", kAddress, Value(), "key-9"});
  CHECK(before.diagnostics.empty());
  CHECK(before.state.is_null());

  sdk::ApplyResponse made = create_with_key(provider, "key-9");
  REQUIRE(made.diagnostics.empty());

  sim::SimProvider reader;
  configure(reader, dir.path);
  sdk::ReadResponse found =
      reader.read(sdk::ReadRequest{"sim.machine", kAddress, Value(), "key-9"});
  CHECK(found.diagnostics.empty());
  CHECK(found.state == made.state);
  // Another type does not match the key; a null state without a key reads nothing.
  CHECK(reader.read(sdk::ReadRequest{"sim.network", "sim.network[\"n\"]", Value(), "key-9"})
            .state.is_null());
  CHECK(reader.read(sdk::ReadRequest{"sim.machine", kAddress, Value(), ""}).state.is_null());

  sdk::ApplyResponse deleted =
      reader.apply_change(sdk::ApplyRequest{"sim.machine", kAddress, made.state, Value(), ""});
  REQUIRE(deleted.diagnostics.empty());
  CHECK(reader.read(sdk::ReadRequest{"sim.machine", kAddress, Value(), "key-9"}).state.is_null());
  // With the object gone, the key no longer answers: a create with it makes a new object.
  sdk::ApplyResponse remade = create_with_key(reader, "key-9");
  REQUIRE(remade.diagnostics.empty());
  CHECK(*remade.state.find("id") != *made.state.find("id"));
  CHECK(machine_count(dir.path) == 1);
}
