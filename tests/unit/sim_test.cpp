// Unit tests of the built-in `sim` provider (schema, validate, plan, apply, persistence, drift)
// and of the registry of built-in providers.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "providers/registry/builtin_providers.h"
#include "providers/sim/sim_provider.h"
#include "providers/sim/world.h"

namespace {

using namespace kc;
using sdk::Value;

constexpr const char* kAddress = "sim.machine[\"web\"]";
constexpr int64_t kGi = int64_t{1} << 30;

// A fresh directory under the system temp dir, removed with its contents at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kc-sim-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

Value machine(Value cpu, Value memory, Value zone) {
  return Value::map({{"cpu", cpu}, {"memory", memory}, {"zone", zone}});
}
Value machine(int64_t cpu, int64_t memory_gi, const char* zone) {
  return machine(Value(cpu), Value(sdk::ByteSize{memory_gi * kGi}), Value(zone));
}

std::string messages(const diag::Diagnostics& diagnostics) {
  std::string text;
  for (const diag::Diagnostic& d : diagnostics.all())
    text += d.message + "\n";
  return text;
}

void configure(sdk::Provider& provider, const std::string& dir, Value config = Value()) {
  diag::Diagnostics diagnostics = provider.configure(sdk::ConfigureRequest{config, dir});
  REQUIRE_MESSAGE(diagnostics.empty(), messages(diagnostics));
}

Value create(sdk::Provider& provider, const Value& inputs, const char* address = kAddress) {
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{"sim.machine", address, Value(), inputs});
  REQUIRE(plan.diagnostics.empty());
  sdk::ApplyResponse applied =
      provider.apply_change(sdk::ApplyRequest{"sim.machine", address, Value(), plan.planned});
  REQUIRE_MESSAGE(applied.diagnostics.empty(), messages(applied.diagnostics));
  return applied.state;
}

Value update(sdk::Provider& provider, const Value& prior, const Value& inputs) {
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{"sim.machine", kAddress, prior, inputs});
  REQUIRE(plan.diagnostics.empty());
  REQUIRE(plan.requires_replace.empty());
  sdk::ApplyResponse applied =
      provider.apply_change(sdk::ApplyRequest{"sim.machine", kAddress, prior, plan.planned});
  REQUIRE_MESSAGE(applied.diagnostics.empty(), messages(applied.diagnostics));
  return applied.state;
}

diag::Diagnostics destroy(sdk::Provider& provider, const Value& prior) {
  return provider.apply_change(sdk::ApplyRequest{"sim.machine", kAddress, prior, Value()})
      .diagnostics;
}

sdk::ReadResponse read(sdk::Provider& provider, const Value& state) {
  return provider.read(sdk::ReadRequest{"sim.machine", kAddress, state});
}

sim::SimWorld load_world(const std::string& dir) {
  diag::Diagnostics diagnostics;
  std::optional<sim::SimWorld> world = sim::SimWorld::load(dir, diagnostics);
  REQUIRE_MESSAGE(world.has_value(), messages(diagnostics));
  return *world;
}

std::string ip_of(const Value& state) {
  return sdk::to_string(state.find("ip")->as_ip());
}

}  // namespace

TEST_CASE("sim schema declares its config and sim.machine") {
  sim::SimProvider provider;
  const sdk::ProviderSchema& schema = provider.schema();
  CHECK(schema.name == "sim");
  REQUIRE(schema.config.size() == 2);
  CHECK(schema.config[0].name == "latency");
  CHECK(schema.config[0].type.kind == sdk::AttrType::Kind::Duration);
  CHECK(schema.config[0].presence == sdk::AttributeSchema::Presence::Optional);
  CHECK(schema.config[1].name == "seed");
  CHECK(schema.config[1].type.kind == sdk::AttrType::Kind::Int);
  CHECK(schema.config[1].presence == sdk::AttributeSchema::Presence::Optional);

  REQUIRE(schema.resources.size() == 1);
  const sdk::ResourceSchema& m = schema.resources[0];
  CHECK(m.type == "sim.machine");
  CHECK(m.doc == "A simulated virtual machine.");
  using Kind = sdk::AttrType::Kind;
  using Presence = sdk::AttributeSchema::Presence;
  struct Expected {
    const char* name;
    Kind kind;
    Presence presence;
    bool force_new;
  };
  const Expected expected[] = {
      {"cpu", Kind::Int, Presence::Required, false},
      {"memory", Kind::Bytes, Presence::Required, false},
      {"zone", Kind::String, Presence::Required, true},
      {"id", Kind::String, Presence::Computed, false},
      {"ip", Kind::Ip, Presence::Computed, false},
  };
  REQUIRE(m.attributes.size() == std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    CAPTURE(expected[i].name);
    CHECK(m.attributes[i].name == expected[i].name);
    CHECK(m.attributes[i].type.kind == expected[i].kind);
    CHECK(m.attributes[i].presence == expected[i].presence);
    CHECK(m.attributes[i].force_new == expected[i].force_new);
    CHECK_FALSE(m.attributes[i].doc.empty());
  }
  for (const sdk::AttributeSchema& a : schema.config)
    CHECK_FALSE(a.doc.empty());
}

TEST_CASE("sim validate checks values beyond their types") {
  sim::SimProvider provider;
  auto validate = [&](const Value& attributes) {
    return provider.validate(sdk::ValidateRequest{"sim.machine", kAddress, attributes});
  };
  auto single_error = [&](const Value& attributes, const std::string& fragment) {
    diag::Diagnostics d = validate(attributes);
    REQUIRE_MESSAGE(d.error_count() == 1, messages(d));
    const diag::Diagnostic& e = d.all()[0];
    CHECK(e.code == diag::Code::E0504);
    CHECK_FALSE(e.span.valid());
    CHECK_MESSAGE(e.message.find(kAddress) != std::string::npos, e.message);
    CHECK_MESSAGE(e.message.find(fragment) != std::string::npos, e.message);
  };

  CHECK(validate(machine(4, 16, "a")).empty());
  CHECK(validate(machine(1, 1, "a")).empty());
  CHECK(validate(machine(Value(512), Value(sdk::ByteSize{512 << 20}), Value("a"))).empty());

  single_error(machine(0, 4, "a"), "`cpu`");
  single_error(machine(513, 4, "a"), "`cpu`");
  single_error(machine(Value(2), Value(sdk::ByteSize{256 << 20}), Value("a")), "`memory`");
  single_error(machine(Value(2), Value(sdk::ByteSize{(512 << 20) - 1}), Value("a")), "`memory`");
  single_error(machine(2, 4, ""), "`zone`");
  single_error(Value::map({{"cpu", 2}, {"memory", sdk::ByteSize{kGi}}}), "`zone`");
  single_error(machine(Value("two"), Value(sdk::ByteSize{kGi}), Value("a")), "`cpu`");
  single_error(Value::map({{"cpu", 2}, {"memory", sdk::ByteSize{kGi}}, {"zone", "a"}, {"gpu", 1}}),
               "`gpu`");
  single_error(Value::map({{"cpu", 2}, {"memory", sdk::ByteSize{kGi}}, {"zone", "a"}, {"id", "x"}}),
               "`id`");

  // Values not known until apply are accepted now.
  CHECK(validate(machine(Value::unknown(), Value::unknown(), Value::unknown())).empty());
  CHECK(validate(Value::unknown()).empty());

  // Several problems are all reported.
  CHECK(validate(machine(0, 0, "")).error_count() == 3);

  diag::Diagnostics wrong_type =
      provider.validate(sdk::ValidateRequest{"sim.disk", "sim.disk[\"d\"]", Value::map({})});
  CHECK(wrong_type.has_errors());
}

TEST_CASE("sim plan_change decides create, update, replace, no-op and delete") {
  sim::SimProvider provider;
  auto plan = [&](const Value& prior, const Value& desired) {
    sdk::PlanResponse r =
        provider.plan_change(sdk::PlanRequest{"sim.machine", kAddress, prior, desired});
    REQUIRE_MESSAGE(r.diagnostics.empty(), messages(r.diagnostics));
    return r;
  };

  SUBCASE("create: desired inputs plus unknown outputs") {
    sdk::PlanResponse r = plan(Value(), machine(2, 4, "a"));
    CHECK(r.requires_replace.empty());
    CHECK(r.planned == Value::map({{"cpu", 2},
                                   {"memory", sdk::ByteSize{4 * kGi}},
                                   {"zone", "a"},
                                   {"id", Value::unknown()},
                                   {"ip", Value::unknown()}}));
  }

  const Value prior = Value::map({{"cpu", 2},
                                  {"memory", sdk::ByteSize{4 * kGi}},
                                  {"zone", "a"},
                                  {"id", "m-0007"},
                                  {"ip", *sdk::parse_ip("10.0.0.7")}});

  SUBCASE("no-op: planned equals prior") {
    sdk::PlanResponse r = plan(prior, machine(2, 4, "a"));
    CHECK(r.requires_replace.empty());
    CHECK(r.planned == prior);
  }
  SUBCASE("update in place keeps id and ip") {
    sdk::PlanResponse r = plan(prior, machine(8, 4, "a"));
    CHECK(r.requires_replace.empty());
    CHECK(*r.planned.find("cpu") == Value(8));
    CHECK(*r.planned.find("id") == Value("m-0007"));
    CHECK(ip_of(r.planned) == "10.0.0.7");
  }
  SUBCASE("a changed zone forces replacement with unknown outputs") {
    sdk::PlanResponse r = plan(prior, machine(8, 4, "b"));
    CHECK(r.requires_replace == std::vector<std::string>{"zone"});
    CHECK(*r.planned.find("zone") == Value("b"));
    CHECK(r.planned.find("id")->is_unknown());
    CHECK(r.planned.find("ip")->is_unknown());
  }
  SUBCASE("an unknown zone may change, so it forces replacement") {
    sdk::PlanResponse r =
        plan(prior, machine(Value(2), Value(sdk::ByteSize{4 * kGi}), Value::unknown()));
    CHECK(r.requires_replace == std::vector<std::string>{"zone"});
  }
  SUBCASE("an unknown cpu is an update with unknown input") {
    sdk::PlanResponse r =
        plan(prior, machine(Value::unknown(), Value(sdk::ByteSize{4 * kGi}), Value("a")));
    CHECK(r.requires_replace.empty());
    CHECK(r.planned.find("cpu")->is_unknown());
    CHECK(*r.planned.find("id") == Value("m-0007"));
  }
  SUBCASE("delete: planned is null") {
    sdk::PlanResponse r = plan(prior, Value());
    CHECK(r.planned.is_null());
    CHECK(r.requires_replace.empty());
  }
}

TEST_CASE("sim apply persists machines that a second instance sees") {
  TempDir dir;
  sim::SimProvider first;
  configure(first, dir.path);

  Value state = create(first, machine(2, 4, "a"));
  CHECK(*state.find("id") == Value("m-0001"));
  CHECK(ip_of(state) == "10.0.0.1");
  CHECK(*state.find("cpu") == Value(2));
  CHECK(*state.find("zone") == Value("a"));

  CHECK(std::filesystem::exists(dir.path + "/.kc/sim/world.json"));
  sim::SimWorld world = load_world(dir.path);
  REQUIRE(world.machines().size() == 1);
  CHECK(world.machines()[0].id == "m-0001");
  CHECK(world.machines()[0].attributes == state);
  CHECK(world.counter() == 1);

  // A second instance stands for another `kc` process.
  sim::SimProvider second;
  configure(second, dir.path);
  sdk::ReadResponse seen = read(second, state);
  REQUIRE(seen.diagnostics.empty());
  CHECK(seen.state == state);

  // Its next machine continues the shared counter.
  Value other = create(second, machine(1, 1, "b"), "sim.machine[\"db\"]");
  CHECK(*other.find("id") == Value("m-0002"));
  CHECK(ip_of(other) == "10.0.0.2");
  CHECK(read(first, other).state == other);
}

TEST_CASE("sim update changes a machine in place") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value state = create(provider, machine(2, 4, "a"));
  Value updated = update(provider, state, machine(16, 64, "a"));
  CHECK(*updated.find("cpu") == Value(16));
  CHECK(*updated.find("memory") == Value(sdk::ByteSize{64 * kGi}));
  CHECK(*updated.find("id") == *state.find("id"));
  CHECK(*updated.find("ip") == *state.find("ip"));
  CHECK(load_world(dir.path).find("m-0001")->attributes == updated);

  // Changing a force_new attribute is not an update.
  sdk::ApplyResponse refused = provider.apply_change(
      sdk::ApplyRequest{"sim.machine", kAddress, updated, machine(16, 64, "b")});
  CHECK(refused.diagnostics.has_errors());
  CHECK(*load_world(dir.path).find("m-0001")->attributes.find("zone") == Value("a"));
}

TEST_CASE("sim read returns null after delete, and delete is idempotent") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value state = create(provider, machine(2, 4, "a"));
  REQUIRE(read(provider, state).state == state);

  diag::Diagnostics first = destroy(provider, state);
  CHECK_MESSAGE(first.empty(), messages(first));
  sdk::ReadResponse gone = read(provider, state);
  CHECK(gone.diagnostics.empty());
  CHECK(gone.state.is_null());
  CHECK(load_world(dir.path).machines().empty());

  size_t events = load_world(dir.path).events().size();
  diag::Diagnostics again = destroy(provider, state);
  CHECK_MESSAGE(again.empty(), messages(again));
  CHECK(load_world(dir.path).events().size() == events);

  // Another instance deleting it too is also fine.
  sim::SimProvider other;
  configure(other, dir.path);
  CHECK(destroy(other, state).empty());
}

TEST_CASE("sim read shows drift made through another instance") {
  TempDir dir;
  sim::SimProvider kc_run;
  configure(kc_run, dir.path);
  Value state = create(kc_run, machine(2, 4, "a"));
  REQUIRE(read(kc_run, state).state == state);  // cached now

  sim::SimProvider behind_the_back;
  configure(behind_the_back, dir.path);
  update(behind_the_back, state, machine(8, 4, "a"));

  sdk::ReadResponse drifted = read(kc_run, state);
  REQUIRE(drifted.diagnostics.empty());
  CHECK(*drifted.state.find("cpu") == Value(8));
  CHECK(*drifted.state.find("id") == Value("m-0001"));

  // Deleted behind kc's back: read reports it gone, and updating it is an error.
  CHECK(destroy(behind_the_back, state).empty());
  CHECK(read(kc_run, state).state.is_null());
  sdk::ApplyResponse stale =
      kc_run.apply_change(sdk::ApplyRequest{"sim.machine", kAddress, state, machine(4, 4, "a")});
  REQUIRE(stale.diagnostics.has_errors());
  CHECK(stale.diagnostics.all()[0].message.find("m-0001") != std::string::npos);
}

TEST_CASE("sim reports a corrupt world file as a diagnostic") {
  TempDir dir;
  std::filesystem::create_directories(dir.path + "/.kc/sim");
  const std::string path = dir.path + "/.kc/sim/world.json";
  auto expect_corrupt = [&](const std::string& text) {
    CAPTURE(text);
    std::ofstream(path) << text;
    sim::SimProvider provider;
    diag::Diagnostics d = provider.configure(sdk::ConfigureRequest{Value(), dir.path});
    REQUIRE(d.error_count() == 1);
    CHECK(d.all()[0].code == diag::Code::E0504);
    CHECK_MESSAGE(d.all()[0].message.find(path) != std::string::npos, d.all()[0].message);

    sdk::ReadResponse r = read(provider, Value::map({{"id", "m-0001"}}));
    CHECK(r.diagnostics.has_errors());
    sdk::ApplyResponse a = provider.apply_change(
        sdk::ApplyRequest{"sim.machine", kAddress, Value(), machine(2, 4, "a")});
    CHECK(a.diagnostics.has_errors());
    CHECK(a.state.is_null());

    diag::Diagnostics load_diagnostics;
    CHECK_FALSE(sim::SimWorld::load(dir.path, load_diagnostics).has_value());
    CHECK(load_diagnostics.has_errors());
  };
  expect_corrupt("{ this is not json");
  expect_corrupt("[]");
  expect_corrupt(R"({"format_version": 99, "counter": 0, "machines": {}, "events": []})");
  expect_corrupt(R"({"format_version": 1, "counter": 1, "events": [],
                     "machines": {"m-0001": {"cpu": "lots", "id": "m-0001", "ip": "10.0.0.1"}}})");
  expect_corrupt(R"({"format_version": 1, "counter": 1, "machines": {},
                     "events": [{"seq": 2, "kind": "a", "id": "x"}, {"seq": 1, "kind": "b", "id": "y"}]})");
}

TEST_CASE("sim logs events in order") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value a = create(provider, machine(2, 4, "a"), "sim.machine[\"a\"]");
  Value b = create(provider, machine(2, 4, "b"), "sim.machine[\"b\"]");
  update(provider, a, machine(4, 4, "a"));
  update(provider, b, machine(2, 4, "b"));  // no change: no event
  CHECK(destroy(provider, b).empty());

  sim::SimWorld world = load_world(dir.path);
  const std::vector<sim::SimEvent>& events = world.events();
  REQUIRE(events.size() == 4);
  const std::pair<const char*, const char*> expected[] = {{"machine.create", "m-0001"},
                                                          {"machine.create", "m-0002"},
                                                          {"machine.update", "m-0001"},
                                                          {"machine.delete", "m-0002"}};
  for (size_t i = 0; i < events.size(); ++i) {
    CAPTURE(i);
    CHECK(events[i].seq == static_cast<int64_t>(i + 1));
    CHECK(events[i].kind == expected[i].first);
    CHECK(events[i].id == expected[i].second);
  }
  CHECK(events[0].details["attributes"]["zone"] == "a");
  CHECK(events[2].details["changes"]["cpu"]["before"] == 2);
  CHECK(events[2].details["changes"]["cpu"]["after"] == 4);
  CHECK_FALSE(events[2].details["changes"].contains("zone"));

  REQUIRE(world.machines().size() == 1);
  CHECK(world.machines()[0].id == "m-0001");
}

TEST_CASE("sim ids and addresses are deterministic") {
  auto run = [](Value config) {
    TempDir dir;
    sim::SimProvider provider;
    configure(provider, dir.path, config);
    std::vector<std::string> assigned;
    for (int i = 0; i < 3; ++i) {
      Value state = create(provider, machine(2, 4, "a"));
      assigned.push_back(state.find("id")->as_string() + " " + ip_of(state));
    }
    std::ifstream file(dir.path + "/.kc/sim/world.json");
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    return std::make_pair(assigned, text);
  };
  auto one = run(Value());
  auto two = run(Value());
  CHECK(one.first ==
        std::vector<std::string>{"m-0001 10.0.0.1", "m-0002 10.0.0.2", "m-0003 10.0.0.3"});
  CHECK(one == two);  // the world files are byte-identical too

  auto seeded = run(Value::map({{"seed", 3}}));
  CHECK(seeded.first ==
        std::vector<std::string>{"m-0001 10.2.0.1", "m-0002 10.2.0.2", "m-0003 10.2.0.3"});

  // Addresses never end in .0 or .255 and never repeat.
  std::set<std::string> seen;
  int64_t bad = 0;
  for (int64_t n = 1; n <= 70000; ++n) {
    sdk::IpAddress ip = sim::machine_ip(n, 1);
    if (ip.v6 || ip.bytes[0] != 10 || ip.bytes[3] == 0 || ip.bytes[3] == 255) ++bad;
    seen.insert(sdk::to_string(ip));
  }
  CHECK(bad == 0);
  CHECK(seen.size() == 70000);
  CHECK(sdk::to_string(sim::machine_ip(254, 1)) == "10.0.0.254");
  CHECK(sdk::to_string(sim::machine_ip(255, 1)) == "10.0.1.1");
  CHECK(sim::machine_id(12) == "m-0012");
  CHECK(sim::machine_id(12345) == "m-12345");
}

TEST_CASE("sim refuses to apply unknown inputs and bad configuration") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  sdk::ApplyResponse r = provider.apply_change(
      sdk::ApplyRequest{"sim.machine", kAddress, Value(),
                        machine(Value(2), Value(sdk::ByteSize{kGi}), Value::unknown())});
  REQUIRE(r.diagnostics.error_count() == 1);
  CHECK(r.diagnostics.all()[0].code == diag::Code::E0504);
  CHECK(r.diagnostics.all()[0].message.find("unknown input `zone`") != std::string::npos);
  CHECK(r.state.is_null());
  CHECK(load_world(dir.path).machines().empty());

  sdk::ApplyResponse invalid = provider.apply_change(
      sdk::ApplyRequest{"sim.machine", kAddress, Value(), machine(0, 4, "a")});
  CHECK(invalid.diagnostics.has_errors());
  CHECK(load_world(dir.path).machines().empty());

  sim::SimProvider unconfigured;
  CHECK(read(unconfigured, Value::map({{"id", "m-0001"}})).diagnostics.has_errors());

  sim::SimProvider badly;
  CHECK(badly.configure(sdk::ConfigureRequest{Value::map({{"colour", "red"}}), dir.path})
            .has_errors());
  CHECK(badly.configure(sdk::ConfigureRequest{Value::map({{"seed", "x"}}), dir.path}).has_errors());
  CHECK(badly.configure(sdk::ConfigureRequest{Value::map({{"max_concurrency", 4}}), dir.path})
            .empty());
}

TEST_CASE("sim latency delays every apply") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path, Value::map({{"latency", sdk::Duration{60}}}));
  auto start = std::chrono::steady_clock::now();
  create(provider, machine(2, 4, "a"));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(60));
}

TEST_CASE("sim serialises concurrent applies from threads and instances") {
  TempDir dir;
  sim::SimProvider a;
  sim::SimProvider b;  // a separate lock holder, like another process
  configure(a, dir.path);
  configure(b, dir.path);
  std::vector<std::thread> threads;
  std::vector<std::string> ids(8);
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      sim::SimProvider& p = i % 2 == 0 ? a : b;
      sdk::ApplyResponse r = p.apply_change(
          sdk::ApplyRequest{"sim.machine", "sim.machine[\"x\"]", Value(), machine(2, 4, "a")});
      if (r.diagnostics.empty()) ids[i] = r.state.find("id")->as_string();
    });
  }
  for (std::thread& t : threads)
    t.join();
  std::set<std::string> distinct(ids.begin(), ids.end());
  CHECK(distinct.size() == ids.size());
  CHECK_FALSE(distinct.count(""));
  sim::SimWorld world = load_world(dir.path);
  CHECK(world.machines().size() == ids.size());
  CHECK(world.counter() == static_cast<int64_t>(ids.size()));
  CHECK(world.events().size() == ids.size());
}

TEST_CASE("builtin providers hold sim and configure it") {
  providers::BuiltinProviders builtin;
  REQUIRE(builtin.get("sim") != nullptr);
  CHECK(builtin.get("sim")->schema().name == "sim");
  CHECK(builtin.get("aws") == nullptr);
  CHECK(builtin.find_provider("sim") == &builtin.get("sim")->schema());
  CHECK(builtin.find_provider("nope") == nullptr);
  const sdk::ResourceSchema* m = builtin.find_resource("sim.machine");
  REQUIRE(m != nullptr);
  CHECK(m->type == "sim.machine");
  CHECK(builtin.find_resource("sim.disk") == nullptr);
  CHECK(builtin.find_resource("machine") == nullptr);
  CHECK(builtin.resource_types() == std::vector<std::string>{"sim.machine"});
  CHECK(builtin.names() == std::vector<std::string>{"sim"});

  TempDir dir;
  diag::Diagnostics unknown = builtin.configure("aws", Value(), dir.path);
  REQUIRE(unknown.error_count() == 1);
  CHECK(unknown.all()[0].code == diag::Code::E0504);
  CHECK(unknown.all()[0].message.find("`aws`") != std::string::npos);

  CHECK_FALSE(builtin.configured("sim"));
  CHECK(builtin.configure("sim", Value::map({{"seed", 2}}), dir.path).empty());
  CHECK(builtin.configured("sim"));
  CHECK(builtin.configure_defaults(dir.path).empty());  // leaves the configured sim alone

  sdk::Provider* sim = builtin.get("sim");
  sdk::ApplyResponse r =
      sim->apply_change(sdk::ApplyRequest{"sim.machine", kAddress, Value(), machine(2, 4, "a")});
  REQUIRE(r.diagnostics.empty());
  CHECK(ip_of(r.state) == "10.1.0.1");  // seed 2 survived configure_defaults

  providers::BuiltinProviders defaults;
  CHECK(defaults.configure_defaults(dir.path).empty());
  CHECK(defaults.configured("sim"));
  CHECK(read(*defaults.get("sim"), r.state).state == r.state);
}
