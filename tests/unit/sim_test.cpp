// Unit tests of the built-in `sim` provider (schema, validate, plan, apply, persistence, drift)
// and of the registry of built-in providers.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
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
#include "providers/sim/world_store.h"
#include "tests/unit/sim_fixtures.h"
#include "tests/unit/temp_dir.h"

namespace {

using kc::test::address_of;
using kc::test::configure;
using kc::test::create_ok;
using kc::test::messages;
using kc::test::try_create;

// A temporary directory named after this test file.
struct TempDir : kc::test::TempDir {
  TempDir() : kc::test::TempDir("kc-sim-test") {}
};

using namespace kc;
using sdk::Value;

constexpr const char* kAddress = "sim.machine[\"web\"]";
constexpr int64_t kGi = int64_t{1} << 30;

// A fresh directory under the system temp dir, removed with its contents at the end of the test.
Value machine(Value cpu, Value memory, Value zone) {
  return Value::map({{"cpu", cpu}, {"memory", memory}, {"zone", zone}});
}
Value machine(int64_t cpu, int64_t memory_gi, const char* zone) {
  return machine(Value(cpu), Value(sdk::ByteSize{memory_gi * kGi}), Value(zone));
}

Value create(sdk::Provider& provider, const Value& inputs, const char* address = kAddress) {
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{"sim.machine", address, Value(), inputs});
  REQUIRE(plan.diagnostics.empty());
  sdk::ApplyResponse applied =
      provider.apply_change(sdk::ApplyRequest{"sim.machine", address, Value(), plan.planned, ""});
  REQUIRE_MESSAGE(applied.diagnostics.empty(), messages(applied.diagnostics));
  return applied.state;
}

Value update(sdk::Provider& provider, const Value& prior, const Value& inputs) {
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{"sim.machine", kAddress, prior, inputs});
  REQUIRE(plan.diagnostics.empty());
  REQUIRE(plan.requires_replace.empty());
  sdk::ApplyResponse applied =
      provider.apply_change(sdk::ApplyRequest{"sim.machine", kAddress, prior, plan.planned, ""});
  REQUIRE_MESSAGE(applied.diagnostics.empty(), messages(applied.diagnostics));
  return applied.state;
}

diag::Diagnostics destroy(sdk::Provider& provider, const Value& prior) {
  return provider.apply_change(sdk::ApplyRequest{"sim.machine", kAddress, prior, Value(), ""})
      .diagnostics;
}

sdk::ReadResponse read(sdk::Provider& provider, const Value& state) {
  return provider.read(sdk::ReadRequest{"sim.machine", kAddress, state, ""});
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
  REQUIRE(schema.config.size() == 3);
  CHECK(schema.config[0].name == "latency");
  CHECK(schema.config[0].type.kind == sdk::AttrType::Kind::Duration);
  CHECK(schema.config[0].presence == sdk::AttributeSchema::Presence::Optional);
  CHECK(schema.config[1].name == "seed");
  CHECK(schema.config[1].type.kind == sdk::AttrType::Kind::Int);
  CHECK(schema.config[1].presence == sdk::AttributeSchema::Presence::Optional);
  CHECK(schema.config[2].name == "failure_rate");
  CHECK(schema.config[2].type.kind == sdk::AttrType::Kind::Percent);

  REQUIRE(schema.resources.size() == 11);
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
      {"disk", Kind::Bytes, Presence::Optional, false},
      {"subnet", Kind::String, Presence::Optional, true},
      {"image", Kind::String, Presence::Optional, true},
      {"labels", Kind::Map, Presence::Optional, false},
      {"role", Kind::String, Presence::Optional, false},
      {"id", Kind::String, Presence::Computed, false},
      {"ip", Kind::Ip, Presence::Computed, false},
      {"hostname", Kind::String, Presence::Computed, false},
  };
  REQUIRE(m.attributes.size() == std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    CAPTURE(expected[i].name);
    CHECK(m.attributes[i].name == expected[i].name);
    CHECK(m.attributes[i].type.kind == expected[i].kind);
    CHECK(m.attributes[i].presence == expected[i].presence);
    CHECK(m.attributes[i].force_new == expected[i].force_new);
    CHECK_FALSE(m.attributes[i].sensitive);
    CHECK_FALSE(m.attributes[i].doc.empty());
  }
  CHECK(m.find("labels")->type.to_string() == "{string: string}");
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
                                   {"ip", Value::unknown()},
                                   {"hostname", Value::unknown()}}));
  }

  const Value prior = Value::map({{"cpu", 2},
                                  {"memory", sdk::ByteSize{4 * kGi}},
                                  {"zone", "a"},
                                  {"id", "m-0007"},
                                  {"ip", *sdk::parse_ip("10.0.0.7")},
                                  {"hostname", "ip-10-0-0-7"}});

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
      sdk::ApplyRequest{"sim.machine", kAddress, updated, machine(16, 64, "b"), ""});
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
  sdk::ApplyResponse stale = kc_run.apply_change(
      sdk::ApplyRequest{"sim.machine", kAddress, state, machine(4, 4, "a"), ""});
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
        sdk::ApplyRequest{"sim.machine", kAddress, Value(), machine(2, 4, "a"), ""});
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
                        machine(Value(2), Value(sdk::ByteSize{kGi}), Value::unknown()), ""});
  REQUIRE(r.diagnostics.error_count() == 1);
  CHECK(r.diagnostics.all()[0].code == diag::Code::E0504);
  CHECK(r.diagnostics.all()[0].message.find("unknown input `zone`") != std::string::npos);
  CHECK(r.state.is_null());
  CHECK(load_world(dir.path).machines().empty());

  sdk::ApplyResponse invalid = provider.apply_change(
      sdk::ApplyRequest{"sim.machine", kAddress, Value(), machine(0, 4, "a"), ""});
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
          sdk::ApplyRequest{"sim.machine", "sim.machine[\"x\"]", Value(), machine(2, 4, "a"), ""});
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
  CHECK(builtin.resource_types() ==
        std::vector<std::string>{"sim.addon", "sim.bootstrap", "sim.ca", "sim.certificate",
                                 "sim.etcd_member", "sim.join", "sim.kubeconfig",
                                 "sim.load_balancer", "sim.machine", "sim.network", "sim.subnet"});
  REQUIRE(builtin.find_resource("sim.kubeconfig") != nullptr);
  CHECK(builtin.find_resource("sim.machine")->find_action("drain") != nullptr);
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
  sdk::ApplyResponse r = sim->apply_change(
      sdk::ApplyRequest{"sim.machine", kAddress, Value(), machine(2, 4, "a"), ""});
  REQUIRE(r.diagnostics.empty());
  CHECK(ip_of(r.state) == "10.1.0.1");  // seed 2 survived configure_defaults

  providers::BuiltinProviders defaults;
  CHECK(defaults.configure_defaults(dir.path).empty());
  CHECK(defaults.configured("sim"));
  CHECK(read(*defaults.get("sim"), r.state).state == r.state);
}

// ---- The cluster kinds: network, subnet, load balancer, etcd, PKI, bootstrap/join/addon,
// ---- kubeconfig, and actions.

namespace {

// The first error of a create that must fail; also checks nothing was stored.
std::string create_error(sdk::Provider& provider, const std::string& type, const std::string& label,
                         const Value& inputs) {
  sdk::ApplyResponse applied = try_create(provider, type, label, inputs);
  REQUIRE(applied.diagnostics.has_errors());
  CHECK(applied.state.is_null());
  CHECK(applied.diagnostics.all()[0].code == diag::Code::E0504);
  return applied.diagnostics.all()[0].message;
}

sdk::PlanResponse plan_update(sdk::Provider& provider, const std::string& type,
                              const std::string& label, const Value& prior, const Value& inputs) {
  sdk::PlanResponse plan =
      provider.plan_change(sdk::PlanRequest{type, address_of(type, label), prior, inputs});
  REQUIRE_MESSAGE(plan.diagnostics.empty(), messages(plan.diagnostics));
  return plan;
}

Value update_ok(sdk::Provider& provider, const std::string& type, const std::string& label,
                const Value& prior, const Value& inputs) {
  sdk::PlanResponse plan = plan_update(provider, type, label, prior, inputs);
  REQUIRE(plan.requires_replace.empty());
  sdk::ApplyResponse applied = provider.apply_change(
      sdk::ApplyRequest{type, address_of(type, label), prior, plan.planned, ""});
  REQUIRE_MESSAGE(applied.diagnostics.empty(), messages(applied.diagnostics));
  return applied.state;
}

diag::Diagnostics delete_object(sdk::Provider& provider, const std::string& type,
                                const std::string& label, const Value& prior) {
  return provider.apply_change(sdk::ApplyRequest{type, address_of(type, label), prior, Value(), ""})
      .diagnostics;
}

sdk::ReadResponse read_object(sdk::Provider& provider, const std::string& type,
                              const std::string& label, const Value& state) {
  return provider.read(sdk::ReadRequest{type, address_of(type, label), state, ""});
}

diag::Diagnostics run_action(sdk::Provider& provider, const std::string& type,
                             const std::string& label, const std::string& action,
                             const Value& state, const Value& params = Value()) {
  return provider
      .run_action(sdk::ActionRequest{type, address_of(type, label), action, params, state})
      .diagnostics;
}

std::string text(const Value& state, const char* name) {
  const Value* value = state.find(name);
  REQUIRE_MESSAGE(value != nullptr, name);
  REQUIRE(value->kind() == sdk::Kind::String);
  return value->as_string();
}

bool contains_text(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string read_text(const std::string& path) {
  std::ifstream file(path);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// `map` with `key` set to `value` (replaced in place, or appended).
Value with_entry(const Value& map, const std::string& key, Value value) {
  sdk::Entries entries = map.as_map();
  for (auto& entry : entries) {
    if (entry.first == key) {
      entry.second = std::move(value);
      return Value::map(std::move(entries));
    }
  }
  entries.emplace_back(key, std::move(value));
  return Value::map(std::move(entries));
}

Value cidr(const char* text) {
  return Value(*sdk::parse_cidr(text));
}
Value version(const char* text) {
  return Value(*sdk::parse_version(text));
}
Value strings(std::initializer_list<const char*> items) {
  sdk::List list;
  for (const char* item : items)
    list.emplace_back(item);
  return Value::list(std::move(list));
}

Value network(const char* range = "10.0.0.0/16", const char* region = "eu-west") {
  return Value::map({{"cidr", cidr(range)}, {"region", region}});
}
Value subnet(const Value& network_id, const char* range, const char* zone = "a") {
  return Value::map({{"network", network_id}, {"cidr", cidr(range)}, {"zone", zone}});
}
Value machine_in(const Value& subnet_id, const char* zone = "a", const char* role = nullptr) {
  sdk::Entries entries = {{"cpu", 2},
                          {"memory", sdk::ByteSize{4 * kGi}},
                          {"zone", zone},
                          {"disk", sdk::ByteSize{50 * kGi}},
                          {"subnet", subnet_id},
                          {"image", "kubernetes-v1.29.4"},
                          {"labels", Value::map({{"pool", "default"}})}};
  if (role != nullptr) entries.emplace_back("role", role);
  return Value::map(std::move(entries));
}
Value member(const char* cluster, const char* name, const Value& machine_id) {
  return Value::map({{"cluster", cluster},
                     {"name", name},
                     {"machine", machine_id},
                     {"peer_url", "https://10.0.1.4:2380"},
                     {"client_url", "https://10.0.1.4:2379"}});
}
Value bootstrap(const Value& machine_id, const Value& ca = Value()) {
  sdk::Entries entries = {{"cluster", "prod"},
                          {"machine", machine_id},
                          {"endpoint", "api.prod.example:6443"},
                          {"kubernetes", version("v1.29.4")},
                          {"pod_cidr", cidr("10.244.0.0/16")},
                          {"service_cidr", cidr("10.96.0.0/12")}};
  if (!ca.is_null()) entries.emplace_back("ca", ca);
  return Value::map(std::move(entries));
}
Value join(const Value& machine_id, const Value& token, const char* role = "worker") {
  return Value::map({{"cluster", "prod"},
                     {"machine", machine_id},
                     {"endpoint", "api.prod.example:6443"},
                     {"token", token},
                     {"role", role},
                     {"kubernetes", version("v1.29.4")}});
}
Value kubeconfig(const char* path, const Value& ca = Value("-----BEGIN CERTIFICATE-----\n")) {
  return Value::map(
      {{"cluster", "prod"}, {"path", path}, {"endpoint", "api.prod.example:6443"}, {"ca", ca}});
}

// True when `text` is PEM-shaped: BEGIN line, base64 lines of at most 64, END line.
bool is_pem(const std::string& text, const std::string& label) {
  const std::string begin = "-----BEGIN " + label + "-----\n";
  const std::string end = "-----END " + label + "-----\n";
  if (text.rfind(begin, 0) != 0 || text.size() < begin.size() + end.size() ||
      text.compare(text.size() - end.size(), end.size(), end) != 0) {
    return false;
  }
  std::string body = text.substr(begin.size(), text.size() - begin.size() - end.size());
  size_t start = 0;
  while (start < body.size()) {
    size_t newline = body.find('\n', start);
    if (newline == std::string::npos || newline - start > 64 || newline == start) return false;
    for (size_t i = start; i < newline; ++i) {
      char c = body[i];
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) {
        return false;
      }
    }
    start = newline + 1;
  }
  return true;
}

bool is_lower_hex(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

TEST_CASE("sim schema declares every kind with typed, documented attributes") {
  sim::SimProvider provider;
  const sdk::ProviderSchema& schema = provider.schema();
  using Presence = sdk::AttributeSchema::Presence;
  constexpr Presence R = Presence::Required, O = Presence::Optional, C = Presence::Computed;
  struct Expected {
    const char* name;
    const char* type;
    Presence presence;
    bool force_new;
    bool sensitive;
  };
  const std::vector<std::pair<const char*, std::vector<Expected>>> kinds = {
      {"sim.machine",
       {{"cpu", "int", R, false, false},
        {"memory", "bytes", R, false, false},
        {"zone", "string", R, true, false},
        {"disk", "bytes", O, false, false},
        {"subnet", "string", O, true, false},
        {"image", "string", O, true, false},
        {"labels", "{string: string}", O, false, false},
        {"role", "string", O, false, false},
        {"id", "string", C, false, false},
        {"ip", "ip", C, false, false},
        {"hostname", "string", C, false, false}}},
      {"sim.network",
       {{"cidr", "cidr", R, true, false},
        {"region", "string", R, true, false},
        {"id", "string", C, false, false}}},
      {"sim.subnet",
       {{"network", "string", R, true, false},
        {"cidr", "cidr", R, true, false},
        {"zone", "string", R, true, false},
        {"id", "string", C, false, false}}},
      {"sim.load_balancer",
       {{"name", "string", R, false, false},
        {"subnets", "[string]", O, false, false},
        {"port", "int", R, false, false},
        {"targets", "[ip]", O, false, false},
        {"id", "string", C, false, false},
        {"address", "ip", C, false, false},
        {"dns_name", "string", C, false, false}}},
      {"sim.etcd_member",
       {{"cluster", "string", R, true, false},
        {"name", "string", R, true, false},
        {"machine", "string", R, true, false},
        {"peer_url", "string", R, false, false},
        {"client_url", "string", R, false, false},
        {"id", "string", C, false, false},
        {"member_id", "string", C, false, false}}},
      {"sim.ca",
       {{"common_name", "string", R, true, false},
        {"validity", "duration", O, false, false},
        {"id", "string", C, false, false},
        {"certificate", "string", C, false, false},
        {"key", "string", C, false, true},
        {"fingerprint", "string", C, false, false}}},
      {"sim.certificate",
       {{"ca", "string", R, true, false},
        {"common_name", "string", R, true, false},
        {"sans", "[string]", O, false, false},
        {"usages", "[string]", O, false, false},
        {"validity", "duration", O, false, false},
        {"id", "string", C, false, false},
        {"certificate", "string", C, false, false},
        {"key", "string", C, false, true}}},
      {"sim.bootstrap",
       {{"cluster", "string", R, false, false},
        {"machine", "string", R, true, false},
        {"endpoint", "string", R, false, false},
        {"kubernetes", "version", R, false, false},
        {"pod_cidr", "cidr", O, false, false},
        {"service_cidr", "cidr", O, false, false},
        {"ca", "string", O, false, false},
        {"id", "string", C, false, false},
        {"join_token", "string", C, false, true},
        {"ca_hash", "string", C, false, false}}},
      {"sim.join",
       {{"cluster", "string", R, false, false},
        {"machine", "string", R, true, false},
        {"endpoint", "string", R, false, false},
        {"token", "string", R, false, true},
        {"role", "string", R, false, false},
        {"kubernetes", "version", R, false, false},
        {"id", "string", C, false, false},
        {"node_name", "string", C, false, false}}},
      {"sim.addon",
       {{"cluster", "string", R, false, false},
        {"name", "string", R, true, false},
        {"version", "version", O, false, false},
        {"manifest", "string", O, false, false},
        {"config", "{string: string}", O, false, false},
        {"id", "string", C, false, false}}},
      {"sim.kubeconfig",
       {{"cluster", "string", R, false, false},
        {"path", "string", R, false, false},
        {"endpoint", "string", R, false, false},
        {"ca", "string", R, false, false},
        {"user", "string", O, false, false},
        {"id", "string", C, false, false},
        {"content", "string", C, false, true}}},
  };
  REQUIRE(schema.resources.size() == kinds.size());
  for (size_t k = 0; k < kinds.size(); ++k) {
    const sdk::ResourceSchema& resource = schema.resources[k];
    CAPTURE(resource.type);
    CHECK(resource.type == kinds[k].first);
    CHECK_FALSE(resource.doc.empty());
    REQUIRE(resource.attributes.size() == kinds[k].second.size());
    for (size_t i = 0; i < resource.attributes.size(); ++i) {
      const sdk::AttributeSchema& a = resource.attributes[i];
      const Expected& e = kinds[k].second[i];
      CAPTURE(e.name);
      CHECK(a.name == e.name);
      CHECK(a.type.to_string() == e.type);
      CHECK(a.presence == e.presence);
      CHECK(a.force_new == e.force_new);
      CHECK(a.sensitive == e.sensitive);
      CHECK_FALSE(a.doc.empty());
    }
  }

  // Actions, with their params.
  const sdk::ResourceSchema* m = schema.find("sim.machine");
  REQUIRE(m->actions.size() == 3);
  const sdk::ActionSchema* drain = m->find_action("drain");
  REQUIRE(drain != nullptr);
  REQUIRE(drain->params.size() == 2);
  CHECK(drain->find_param("timeout")->type.kind == sdk::AttrType::Kind::Duration);
  CHECK(drain->find_param("timeout")->presence == O);
  CHECK(drain->find_param("ignore_daemonsets")->type.kind == sdk::AttrType::Kind::Bool);
  CHECK(drain->find_param("force") == nullptr);
  REQUIRE(m->find_action("uncordon") != nullptr);
  CHECK(m->find_action("uncordon")->params.empty());
  REQUIRE(m->find_action("wait_ready") != nullptr);
  CHECK(m->find_action("wait_ready")->find_param("timeout") != nullptr);
  CHECK(m->find_action("remove_member") == nullptr);
  const sdk::ResourceSchema* e = schema.find("sim.etcd_member");
  REQUIRE(e->actions.size() == 2);
  REQUIRE(e->find_action("remove_member") != nullptr);
  CHECK(e->find_action("remove_member")->params.empty());
  REQUIRE(e->find_action("wait_healthy") != nullptr);
  CHECK(e->find_action("wait_healthy")->find_param("timeout") != nullptr);
  for (const sdk::ResourceSchema& resource : schema.resources) {
    for (const sdk::ActionSchema& action : resource.actions) {
      CAPTURE(action.name);
      CHECK_FALSE(action.doc.empty());
      for (const sdk::AttributeSchema& param : action.params) {
        CHECK(param.is_input());
        CHECK_FALSE(param.doc.empty());
      }
    }
    if (resource.type != "sim.machine" && resource.type != "sim.etcd_member") {
      CHECK(resource.actions.empty());
    }
  }
}

TEST_CASE("sim validate checks the new kinds' values") {
  sim::SimProvider provider;
  auto errors = [&](const std::string& type, const Value& attributes) {
    diag::Diagnostics d =
        provider.validate(sdk::ValidateRequest{type, address_of(type, "x"), attributes});
    return messages(d);
  };
  CHECK(errors("sim.network", network()).empty());
  CHECK(contains_text(errors("sim.network", network("10.0.0.1/16")), "host bits"));
  CHECK(contains_text(errors("sim.network", network("10.0.0.0/16", "")), "`region`"));
  CHECK(contains_text(errors("sim.network", Value::map({{"cidr", cidr("10.0.0.0/8")}})),
                      "missing required attribute `region`"));
  CHECK(contains_text(errors("sim.network", Value::map({{"cidr", "10.0.0.0/8"}, {"region", "r"}})),
                      "`cidr` must be cidr"));

  CHECK(errors("sim.machine", machine_in(Value("sub-0001"), "a", "etcd,control-plane")).empty());
  CHECK(
      contains_text(errors("sim.machine", machine_in(Value("sub-0001"), "a", "master")), "`role`"));
  CHECK(contains_text(errors("sim.machine", machine_in(Value("sub-0001"), "a", "worker,worker")),
                      "`role`"));
  CHECK(contains_text(errors("sim.machine", Value::map({{"cpu", 1},
                                                        {"memory", sdk::ByteSize{kGi}},
                                                        {"zone", "a"},
                                                        {"disk", sdk::ByteSize{1 << 20}}})),
                      "`disk` must be at least 1Gi"));
  CHECK(contains_text(errors("sim.machine", Value::map({{"cpu", 1},
                                                        {"memory", sdk::ByteSize{kGi}},
                                                        {"zone", "a"},
                                                        {"labels", Value::map({{"a", 1}})}})),
                      "`labels` must be {string: string}"));

  Value lb = Value::map({{"name", "api"}, {"port", 6443}});
  CHECK(errors("sim.load_balancer", lb).empty());
  CHECK(contains_text(errors("sim.load_balancer", Value::map({{"name", "Api_1"}, {"port", 6443}})),
                      "DNS label"));
  CHECK(contains_text(errors("sim.load_balancer", Value::map({{"name", "api"}, {"port", 70000}})),
                      "`port`"));
  CHECK(contains_text(
      errors("sim.load_balancer",
             Value::map({{"name", "api"}, {"port", 1}, {"targets", strings({"10.0.0.1"})}})),
      "`targets` must be [ip]"));

  CHECK(contains_text(errors("sim.etcd_member", with_entry(member("e", "n", Value("m-0001")),
                                                           "peer_url", Value("10.0.0.1:2380"))),
                      "`peer_url`"));
  CHECK(contains_text(
      errors("sim.ca", Value::map({{"common_name", "ca"}, {"validity", sdk::Duration{0}}})),
      "`validity` must be more than 0s"));
  CHECK(contains_text(errors("sim.join", join(Value("m-0001"), Value("t"), "master")), "`role`"));
  CHECK(contains_text(errors("sim.bootstrap", with_entry(bootstrap(Value("m-0001")), "service_cidr",
                                                         cidr("10.244.0.0/24"))),
                      "overlaps"));
  CHECK(contains_text(errors("sim.kubeconfig", kubeconfig("/etc/kubeconfig")), "absolute"));
  CHECK(contains_text(errors("sim.kubeconfig", kubeconfig("a/../../x")), "leaves the module"));
  CHECK(errors("sim.kubeconfig", kubeconfig("out/./a/../kubeconfig")).empty());
  CHECK(contains_text(errors("sim.addon", Value::map({{"cluster", "prod"}})),
                      "missing required attribute `name`"));
  // Unknown values pass until they are known.
  CHECK(errors("sim.subnet", subnet(Value::unknown(), "10.0.1.0/24")).empty());
}

TEST_CASE("sim networks and subnets: references, ranges and deletion order") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);

  Value net = create_ok(provider, "sim.network", "main", network());
  CHECK(text(net, "id") == "net-0001");
  CHECK(*net.find("region") == Value("eu-west"));

  CHECK(contains_text(
      create_error(provider, "sim.subnet", "x", subnet(Value("net-0042"), "10.0.1.0/24")),
      "network `net-0042` does not exist"));
  CHECK(contains_text(
      create_error(provider, "sim.subnet", "x", subnet(Value("net-0001"), "10.1.0.0/24")),
      "not inside network `net-0001` (10.0.0.0/16)"));
  Value a = create_ok(provider, "sim.subnet", "a", subnet(Value("net-0001"), "10.0.1.0/24", "a"));
  CHECK(text(a, "id") == "sub-0001");  // failed creates hand out no ids
  CHECK(contains_text(
      create_error(provider, "sim.subnet", "x", subnet(Value("net-0001"), "10.0.1.128/25")),
      "overlaps subnet `sub-0001`"));
  Value b = create_ok(provider, "sim.subnet", "b", subnet(Value("net-0001"), "10.0.2.0/24", "b"));
  CHECK(text(b, "id") == "sub-0002");

  // Machines in a subnet take its addresses, lowest free first, from .4.
  Value m1 = create_ok(provider, "sim.machine", "m1", machine_in(Value("sub-0001")));
  Value m2 = create_ok(provider, "sim.machine", "m2", machine_in(Value("sub-0001")));
  Value m3 = create_ok(provider, "sim.machine", "m3", machine_in(Value("sub-0002"), "b"));
  CHECK(ip_of(m1) == "10.0.1.4");
  CHECK(ip_of(m2) == "10.0.1.5");
  CHECK(ip_of(m3) == "10.0.2.4");
  CHECK(text(m1, "hostname") == "ip-10-0-1-4");
  CHECK(text(m1, "id") == "m-0001");
  CHECK(*m1.find("labels") == Value::map({{"pool", "default"}}));
  CHECK(*m1.find("image") == Value("kubernetes-v1.29.4"));
  CHECK(
      contains_text(create_error(provider, "sim.machine", "x", machine_in(Value("sub-0001"), "b")),
                    "subnet `sub-0001` is in zone \"a\""));
  CHECK(contains_text(create_error(provider, "sim.machine", "x", machine_in(Value("sub-0009"))),
                      "subnet `sub-0009` does not exist"));
  // A machine without a subnet still gets its address from the seed's block.
  Value plain = create_ok(provider, "sim.machine", "plain", machine(2, 4, "a"));
  CHECK(text(plain, "id") == "m-0004");
  CHECK(ip_of(plain) == "10.0.0.4");
  CHECK(text(plain, "hostname") == "ip-10-0-0-4");

  // The freed address is handed out again.
  REQUIRE(delete_object(provider, "sim.machine", "m1", m1).empty());
  Value m4 = create_ok(provider, "sim.machine", "m4", machine_in(Value("sub-0001")));
  CHECK(ip_of(m4) == "10.0.1.4");

  // Updating a machine in place keeps its address; changing its subnet or image replaces it.
  Value bigger =
      update_ok(provider, "sim.machine", "m2", m2,
                with_entry(machine_in(Value("sub-0001")), "disk", Value(sdk::ByteSize{100 * kGi})));
  CHECK(ip_of(bigger) == "10.0.1.5");
  CHECK(*bigger.find("disk") == Value(sdk::ByteSize{100 * kGi}));
  sdk::PlanResponse moved =
      plan_update(provider, "sim.machine", "m2", bigger,
                  with_entry(machine_in(Value("sub-0002"), "b"), "image", Value("other")));
  CHECK(moved.requires_replace == std::vector<std::string>{"zone", "subnet", "image"});
  CHECK(moved.planned.find("hostname")->is_unknown());

  // In use: a network with subnets and a subnet with machines cannot go.
  diag::Diagnostics refused = delete_object(provider, "sim.network", "main", net);
  REQUIRE(refused.has_errors());
  CHECK(contains_text(messages(refused), "subnets `sub-0001`, `sub-0002` still use it"));
  refused = delete_object(provider, "sim.subnet", "b", b);
  REQUIRE(refused.has_errors());
  CHECK(contains_text(messages(refused), "`m-0003`"));
  CHECK(read_object(provider, "sim.subnet", "b", b).state == b);

  REQUIRE(delete_object(provider, "sim.machine", "m2", bigger).empty());
  REQUIRE(delete_object(provider, "sim.machine", "m3", m3).empty());
  REQUIRE(delete_object(provider, "sim.machine", "m4", m4).empty());
  CHECK(delete_object(provider, "sim.subnet", "a", a).empty());
  CHECK(delete_object(provider, "sim.subnet", "b", b).empty());
  CHECK(delete_object(provider, "sim.network", "main", net).empty());
  CHECK(read_object(provider, "sim.network", "main", net).state.is_null());
  CHECK(delete_object(provider, "sim.network", "main", net).empty());  // already gone: fine
  sim::SimWorld world = load_world(dir.path);
  CHECK(world.objects("sim.network").empty());
  CHECK(world.objects("sim.subnet").empty());
  CHECK(world.counter("sim.network") == 1);
  CHECK(world.counter("sim.subnet") == 2);
  CHECK(world.events().back().kind == "network.delete");
}

TEST_CASE("sim load balancers: address, DNS name and updates") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  create_ok(provider, "sim.network", "main", network());
  create_ok(provider, "sim.subnet", "a", subnet(Value("net-0001"), "10.0.1.0/24"));
  Value inputs = Value::map({{"name", "api"},
                             {"subnets", strings({"sub-0001"})},
                             {"port", 6443},
                             {"targets", Value::list({Value(*sdk::parse_ip("10.0.1.4"))})}});
  Value lb = create_ok(provider, "sim.load_balancer", "api", inputs);
  CHECK(text(lb, "id") == "lb-0001");
  CHECK(sdk::to_string(lb.find("address")->as_ip()) == "172.31.0.1");
  CHECK(text(lb, "dns_name") == "api.lb.sim.internal");
  Value second = create_ok(provider, "sim.load_balancer", "ingress",
                           Value::map({{"name", "ingress"}, {"port", 443}}));
  CHECK(sdk::to_string(second.find("address")->as_ip()) == "172.31.0.2");

  // Renaming updates in place; the plan leaves only the DNS name unknown.
  Value renamed_inputs = with_entry(inputs, "name", Value("kube-api"));
  sdk::PlanResponse plan = plan_update(provider, "sim.load_balancer", "api", lb, renamed_inputs);
  CHECK(plan.requires_replace.empty());
  CHECK(plan.planned.find("dns_name")->is_unknown());
  CHECK(*plan.planned.find("address") == *lb.find("address"));
  CHECK(*plan.planned.find("id") == Value("lb-0001"));
  Value renamed = update_ok(provider, "sim.load_balancer", "api", lb, renamed_inputs);
  CHECK(text(renamed, "dns_name") == "kube-api.lb.sim.internal");
  CHECK(*renamed.find("address") == *lb.find("address"));
  // A port change keeps every output known in the plan.
  sdk::PlanResponse port_plan = plan_update(provider, "sim.load_balancer", "api", renamed,
                                            with_entry(renamed_inputs, "port", Value(443)));
  CHECK_FALSE(port_plan.planned.contains_unknown());

  sdk::ApplyResponse missing = provider.apply_change(sdk::ApplyRequest{
      "sim.load_balancer", address_of("sim.load_balancer", "api"), renamed,
      with_entry(renamed_inputs, "subnets", strings({"sub-0001", "sub-0007"})), ""});
  REQUIRE(missing.diagnostics.has_errors());
  CHECK(contains_text(messages(missing.diagnostics), "subnet `sub-0007` does not exist"));

  // The subnet cannot go while the load balancer uses it.
  CHECK(contains_text(
      messages(delete_object(provider, "sim.subnet", "a", Value::map({{"id", "sub-0001"}}))),
      "`lb-0001`"));
  CHECK(delete_object(provider, "sim.load_balancer", "api", renamed).empty());
  CHECK(read_object(provider, "sim.load_balancer", "api", renamed).state.is_null());
  CHECK(load_world(dir.path).objects("sim.load_balancer").size() == 1);
}

TEST_CASE("sim etcd members: machine reference, unique names, member ids") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value m = create_ok(provider, "sim.machine", "m", machine(2, 4, "a"));
  Value e1 = create_ok(provider, "sim.etcd_member", "e1",
                       member("prod", "etcd-0", m.find("id")->as_string()));
  CHECK(text(e1, "id") == "etcd-0001");
  const std::string member_id = text(e1, "member_id");
  CHECK(member_id.size() == 16);
  CHECK(is_lower_hex(member_id));
  CHECK(contains_text(
      create_error(provider, "sim.etcd_member", "dup", member("prod", "etcd-0", Value("m-0001"))),
      "already has a member named \"etcd-0\""));
  CHECK(contains_text(
      create_error(provider, "sim.etcd_member", "x", member("prod", "etcd-1", Value("m-0099"))),
      "machine `m-0099` does not exist"));
  // The same name in another cluster is fine, and gets another member id.
  Value other =
      create_ok(provider, "sim.etcd_member", "o", member("staging", "etcd-0", Value("m-0001")));
  CHECK(text(other, "member_id") != member_id);

  // Peer URLs change in place and keep the member id; the name replaces the member.
  Value moved_inputs = with_entry(member("prod", "etcd-0", Value("m-0001")), "peer_url",
                                  Value("https://10.0.9.9:2380"));
  Value moved = update_ok(provider, "sim.etcd_member", "e1", e1, moved_inputs);
  CHECK(text(moved, "member_id") == member_id);
  CHECK(text(moved, "peer_url") == "https://10.0.9.9:2380");
  CHECK(plan_update(provider, "sim.etcd_member", "e1", moved,
                    with_entry(moved_inputs, "name", Value("etcd-9")))
            .requires_replace == std::vector<std::string>{"name"});
  CHECK(delete_object(provider, "sim.etcd_member", "e1", moved).empty());
  CHECK(load_world(dir.path).objects("sim.etcd_member").size() == 1);
}

TEST_CASE("sim CA and certificates are deterministic PEM-shaped text") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value ca = create_ok(provider, "sim.ca", "root", Value::map({{"common_name", "kubernetes-ca"}}));
  CHECK(text(ca, "id") == "ca-0001");
  CHECK(is_pem(text(ca, "certificate"), "CERTIFICATE"));
  CHECK(is_pem(text(ca, "key"), "PRIVATE KEY"));
  const std::string fingerprint = text(ca, "fingerprint");
  REQUIRE(fingerprint.size() == 7 + 64);
  CHECK(fingerprint.rfind("sha256:", 0) == 0);
  CHECK(is_lower_hex(fingerprint.substr(7)));

  // The same inputs in another world give the same material; another name gives other material.
  TempDir other_dir;
  sim::SimProvider other;
  configure(other, other_dir.path);
  Value again = create_ok(other, "sim.ca", "root", Value::map({{"common_name", "kubernetes-ca"}}));
  CHECK(again == ca);
  Value etcd_ca = create_ok(other, "sim.ca", "etcd", Value::map({{"common_name", "etcd-ca"}}));
  CHECK(text(etcd_ca, "certificate") != text(ca, "certificate"));
  CHECK(text(etcd_ca, "key") != text(ca, "key"));
  CHECK(text(etcd_ca, "fingerprint") != fingerprint);

  // A longer validity reissues the CA: a new certificate and fingerprint, the same key.
  Value longer_inputs = Value::map(
      {{"common_name", "kubernetes-ca"}, {"validity", sdk::Duration{int64_t{175200} * 3600000}}});
  sdk::PlanResponse plan = plan_update(provider, "sim.ca", "root", ca, longer_inputs);
  CHECK(plan.planned.find("certificate")->is_unknown());
  CHECK(plan.planned.find("fingerprint")->is_unknown());
  CHECK(*plan.planned.find("key") == *ca.find("key"));
  Value longer = update_ok(provider, "sim.ca", "root", ca, longer_inputs);
  CHECK(text(longer, "certificate") != text(ca, "certificate"));
  CHECK(text(longer, "fingerprint") != fingerprint);
  CHECK(text(longer, "key") == text(ca, "key"));

  const std::string issuer = text(longer, "fingerprint");
  CHECK(contains_text(create_error(provider, "sim.certificate", "x",
                                   Value::map({{"ca", fingerprint}, {"common_name", "api"}})),
                      "no `sim.ca` with fingerprint"));
  Value cert_inputs = Value::map({{"ca", issuer},
                                  {"common_name", "kube-apiserver"},
                                  {"sans", strings({"api.prod.example", "10.0.1.4"})},
                                  {"usages", strings({"server auth"})}});
  Value cert = create_ok(provider, "sim.certificate", "api", cert_inputs);
  CHECK(text(cert, "id") == "cert-0001");
  CHECK(is_pem(text(cert, "certificate"), "CERTIFICATE"));
  CHECK(is_pem(text(cert, "key"), "PRIVATE KEY"));
  CHECK(text(cert, "certificate") != text(longer, "certificate"));
  // The body says what it stands for.
  CHECK(contains_text(text(cert, "certificate"), "-----BEGIN CERTIFICATE-----\n"));

  Value more_sans = with_entry(cert_inputs, "sans", strings({"api.prod.example"}));
  sdk::PlanResponse reissue = plan_update(provider, "sim.certificate", "api", cert, more_sans);
  CHECK(reissue.requires_replace.empty());
  CHECK(reissue.planned.find("certificate")->is_unknown());
  CHECK_FALSE(reissue.planned.find("key")->is_unknown());
  Value reissued = update_ok(provider, "sim.certificate", "api", cert, more_sans);
  CHECK(text(reissued, "certificate") != text(cert, "certificate"));
  CHECK(text(reissued, "key") == text(cert, "key"));
  CHECK(plan_update(provider, "sim.certificate", "api", reissued,
                    with_entry(more_sans, "ca", Value(fingerprint)))
            .requires_replace == std::vector<std::string>{"ca"});

  // Keys are secret: the event log does not repeat them.
  sim::SimWorld world = load_world(dir.path);
  for (const sim::SimEvent& event : world.events()) {
    if (event.kind == "ca.create" || event.kind == "certificate.create") {
      CHECK(event.details["attributes"]["key"] == "(sensitive)");
    }
  }
  CHECK(delete_object(provider, "sim.certificate", "api", reissued).empty());
  CHECK(delete_object(provider, "sim.ca", "root", longer).empty());
  CHECK(load_world(dir.path).objects("sim.ca").empty());
}

TEST_CASE("sim bootstrap, join and addons check the cluster's wiring") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value ca = create_ok(provider, "sim.ca", "ca", Value::map({{"common_name", "kubernetes-ca"}}));
  Value cp = create_ok(provider, "sim.machine", "cp",
                       with_entry(machine(2, 4, "a"), "role", Value("etcd,control-plane")));
  Value worker = create_ok(provider, "sim.machine", "w",
                           with_entry(machine(2, 4, "a"), "role", Value("worker")));
  Value plain = create_ok(provider, "sim.machine", "p", machine(2, 4, "a"));

  CHECK(contains_text(create_error(provider, "sim.addon", "cni",
                                   Value::map({{"cluster", "prod"}, {"name", "cilium"}})),
                      "cluster \"prod\" has not been bootstrapped"));
  CHECK(contains_text(create_error(provider, "sim.join", "w",
                                   join(Value("m-0002"), Value("abcdef.0123456789abcdef"))),
                      "has not been bootstrapped"));
  CHECK(contains_text(create_error(provider, "sim.bootstrap", "x", bootstrap(Value("m-0002"))),
                      "needs \"control-plane\""));
  CHECK(contains_text(
      create_error(provider, "sim.bootstrap", "x", bootstrap(Value("m-0001"), Value("sha256:00"))),
      "no `sim.ca` with fingerprint `sha256:00`"));

  Value boot = create_ok(provider, "sim.bootstrap", "prod",
                         bootstrap(Value("m-0001"), *ca.find("fingerprint")));
  CHECK(text(boot, "id") == "boot-0001");
  const std::string token = text(boot, "join_token");
  REQUIRE(token.size() == 23);
  CHECK(token[6] == '.');
  CHECK(std::all_of(token.begin(), token.end(),
                    [](char c) { return c == '.' || std::isdigit(c) || std::islower(c); }));
  CHECK(text(boot, "ca_hash").rfind("sha256:", 0) == 0);

  CHECK(contains_text(create_error(provider, "sim.join", "w",
                                   join(Value("m-0002"), Value("abcdef.0123456789abcdef"))),
                      "not the `join_token`"));
  CHECK(contains_text(
      create_error(provider, "sim.join", "w", join(Value("m-0002"), Value(token), "control-plane")),
      "cannot join as \"control-plane\""));
  CHECK(contains_text(create_error(provider, "sim.join", "cp",
                                   join(Value("m-0001"), Value(token), "control-plane")),
                      "bootstrapped cluster \"prod\""));
  CHECK(contains_text(create_error(provider, "sim.join", "x", join(Value("m-0077"), Value(token))),
                      "machine `m-0077` does not exist"));
  Value joined = create_ok(provider, "sim.join", "w", join(Value("m-0002"), Value(token)));
  CHECK(text(joined, "id") == "join-0001");
  CHECK(text(joined, "node_name") == text(worker, "hostname"));
  // A machine without a role may join as anything.
  Value joined_cp =
      create_ok(provider, "sim.join", "p", join(Value("m-0003"), Value(token), "control-plane"));
  CHECK(text(joined_cp, "node_name") == text(plain, "hostname"));

  // Upgrades are in-place updates, logged with the version change.
  Value upgraded_boot = update_ok(provider, "sim.bootstrap", "prod", boot,
                                  with_entry(bootstrap(Value("m-0001"), *ca.find("fingerprint")),
                                             "kubernetes", version("v1.30.1")));
  CHECK(text(upgraded_boot, "join_token") == token);
  Value upgraded =
      update_ok(provider, "sim.join", "w", joined,
                with_entry(join(Value("m-0002"), Value(token)), "kubernetes", version("v1.30.1")));
  CHECK(text(upgraded, "node_name") == text(joined, "node_name"));
  sim::SimWorld world = load_world(dir.path);
  const sim::SimEvent& last = world.events().back();
  CHECK(last.kind == "join.update");
  CHECK(last.details["changes"]["kubernetes"]["after"] == "v1.30.1");
  CHECK_FALSE(last.details["changes"].contains("token"));
  for (const sim::SimEvent& event : world.events()) {
    if (event.kind == "join.create") CHECK(event.details["attributes"]["token"] == "(sensitive)");
  }

  Value addon_inputs = Value::map({{"cluster", "prod"},
                                   {"name", "cilium"},
                                   {"version", version("v1.15.1")},
                                   {"config", Value::map({{"ipam", "kubernetes"}})}});
  Value addon = create_ok(provider, "sim.addon", "cni", addon_inputs);
  CHECK(text(addon, "id") == "addon-0001");
  CHECK(contains_text(create_error(provider, "sim.addon", "dup", addon_inputs),
                      "already has addon \"cilium\""));
  Value bumped = update_ok(provider, "sim.addon", "cni", addon,
                           with_entry(addon_inputs, "version", version("v1.15.2")));
  CHECK(*bumped.find("version") == version("v1.15.2"));
  CHECK(text(bumped, "id") == "addon-0001");

  CHECK(delete_object(provider, "sim.addon", "cni", bumped).empty());
  CHECK(delete_object(provider, "sim.join", "w", upgraded).empty());
  CHECK(delete_object(provider, "sim.join", "p", joined_cp).empty());
  CHECK(delete_object(provider, "sim.bootstrap", "prod", upgraded_boot).empty());
  CHECK(read_object(provider, "sim.bootstrap", "prod", upgraded_boot).state.is_null());
}

TEST_CASE("sim kubeconfig writes, moves and removes its file below the module") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value ca = create_ok(provider, "sim.ca", "ca", Value::map({{"common_name", "kubernetes-ca"}}));
  const Value inputs = kubeconfig("out/prod.kubeconfig", *ca.find("certificate"));
  Value config = create_ok(provider, "sim.kubeconfig", "prod", inputs);
  CHECK(text(config, "id") == "kcfg-0001");
  CHECK(config.find("user") == nullptr);  // the default is not written into the attributes
  const std::string path = dir.path + "/out/prod.kubeconfig";
  REQUIRE(std::filesystem::exists(path));
  const std::string content = read_text(path);
  CHECK(content == text(config, "content"));
  CHECK(contains_text(content, "kind: Config\n"));
  CHECK(contains_text(content, "server: \"https://api.prod.example:6443\""));
  CHECK(contains_text(content, "- name: \"admin\""));
  CHECK(contains_text(content, "current-context: \"admin@prod\""));
  CHECK(contains_text(content, "certificate-authority-data: \"LS0tLS1CRUdJTi"));  // base64 PEM
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::group_read) ==
        std::filesystem::perms::none);
  CHECK(read_object(provider, "sim.kubeconfig", "prod", config).state == config);

  // Another user: an update that rewrites the file; the plan cannot know the content.
  const Value ops = with_entry(inputs, "user", Value("ops"));
  CHECK(plan_update(provider, "sim.kubeconfig", "prod", config, ops)
            .planned.find("content")
            ->is_unknown());
  Value as_ops = update_ok(provider, "sim.kubeconfig", "prod", config, ops);
  CHECK(contains_text(read_text(path), "current-context: \"ops@prod\""));
  CHECK(text(as_ops, "content") == read_text(path));

  // A new path moves the file.
  const Value elsewhere = with_entry(ops, "path", Value("kube/config"));
  Value moved = update_ok(provider, "sim.kubeconfig", "prod", as_ops, elsewhere);
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(read_text(dir.path + "/kube/config") == text(moved, "content"));

  // Removing the file by hand makes the kubeconfig gone; creating it again takes the stale record
  // over.
  std::filesystem::remove(dir.path + "/kube/config");
  CHECK(read_object(provider, "sim.kubeconfig", "prod", moved).state.is_null());
  Value rewritten = create_ok(provider, "sim.kubeconfig", "prod", elsewhere);
  CHECK(text(rewritten, "id") == "kcfg-0002");
  CHECK(std::filesystem::exists(dir.path + "/kube/config"));
  CHECK(load_world(dir.path).objects("sim.kubeconfig").size() == 1);
  // Two kubeconfigs cannot share a file.
  CHECK(contains_text(create_error(provider, "sim.kubeconfig", "twin", elsewhere),
                      "already written by kubeconfig `kcfg-0002`"));

  // Deleting removes the file; deleting the stale record's id is a no-op.
  CHECK(delete_object(provider, "sim.kubeconfig", "prod", moved).empty());
  CHECK(std::filesystem::exists(dir.path + "/kube/config"));
  CHECK(delete_object(provider, "sim.kubeconfig", "prod", rewritten).empty());
  CHECK_FALSE(std::filesystem::exists(dir.path + "/kube/config"));
  CHECK(load_world(dir.path).objects("sim.kubeconfig").empty());
}

TEST_CASE("sim kubeconfig refuses paths outside the module directory") {
  TempDir dir;
  TempDir outside;
  sim::SimProvider provider;
  configure(provider, dir.path);
  auto refused = [&](const std::string& path) {
    CAPTURE(path);
    sdk::ApplyResponse r =
        provider.apply_change(sdk::ApplyRequest{"sim.kubeconfig", address_of("sim.kubeconfig", "k"),
                                                Value(), kubeconfig(path.c_str()), ""});
    REQUIRE(r.diagnostics.has_errors());
    CHECK(r.state.is_null());
    CHECK(contains_text(messages(r.diagnostics), "attribute `path` must stay below the module"));
    return messages(r.diagnostics);
  };
  CHECK(contains_text(refused(outside.path + "/kubeconfig"), "absolute"));
  CHECK(contains_text(refused("../kubeconfig"), "leaves the module directory"));
  CHECK(contains_text(refused("a/../../kubeconfig"), "leaves the module directory"));
  refused("");
  refused("sub/..");
  // A symbolic link inside the module that leads out of it.
  std::filesystem::create_directory_symlink(outside.path, dir.path + "/link");
  CHECK(contains_text(refused("link/kubeconfig"), "symbolic link"));
  CHECK(std::filesystem::is_empty(outside.path));
  CHECK(load_world(dir.path).objects("sim.kubeconfig").empty());
}

TEST_CASE("sim actions: drain before delete, uncordon, wait_ready") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value m = create_ok(provider, "sim.machine", "w", machine(2, 4, "a"));

  diag::Diagnostics drained =
      run_action(provider, "sim.machine", "w", "drain", m,
                 Value::map({{"timeout", sdk::Duration{300000}}, {"ignore_daemonsets", true}}));
  REQUIRE_MESSAGE(drained.empty(), messages(drained));
  sim::SimWorld world = load_world(dir.path);
  CHECK(world.has_flag("m-0001", "drained"));
  CHECK(world.events().back().kind == "machine.drain");
  CHECK(world.events().back().details["params"]["timeout"] == "5m");
  CHECK(world.events().back().details["params"]["ignore_daemonsets"] == true);
  // Draining is not drift: the machine's attributes are unchanged.
  CHECK(read_object(provider, "sim.machine", "w", m).state == m);

  CHECK(run_action(provider, "sim.machine", "w", "uncordon", m).empty());
  CHECK_FALSE(load_world(dir.path).has_flag("m-0001", "drained"));
  CHECK(run_action(provider, "sim.machine", "w", "wait_ready", m,
                   Value::map({{"timeout", sdk::Duration{1000}}}))
            .empty());

  // Bad requests.
  diag::Diagnostics unknown_action = run_action(provider, "sim.machine", "w", "reboot", m);
  REQUIRE(unknown_action.error_count() == 1);
  CHECK(contains_text(unknown_action.all()[0].message, "has no action `reboot`"));
  CHECK(unknown_action.all()[0].notes.at(0) == "its actions are `drain`, `uncordon`, `wait_ready`");
  CHECK(contains_text(
      messages(run_action(provider, "sim.machine", "w", "drain", m, Value::map({{"force", true}}))),
      "has no param `force`"));
  CHECK(contains_text(messages(run_action(provider, "sim.machine", "w", "drain", m,
                                          Value::map({{"timeout", "5m"}}))),
                      "param `timeout` must be duration"));
  CHECK(contains_text(messages(run_action(provider, "sim.machine", "w", "drain", m,
                                          Value::map({{"timeout", sdk::Duration{-1}}}))),
                      "must be 0s or more"));
  CHECK(contains_text(
      messages(run_action(provider, "sim.network", "n", "drain", Value::map({{"id", "net-0001"}}))),
      "has no action `drain`"));
  CHECK(contains_text(messages(run_action(provider, "sim.machine", "w", "drain", Value())),
                      "has no `id`"));
  CHECK_FALSE(load_world(dir.path).has_flag("m-0001", "drained"));

  // The before_destroy order: drain, then delete.
  REQUIRE(run_action(provider, "sim.machine", "w", "drain", m).empty());
  REQUIRE(destroy(provider, m).empty());
  world = load_world(dir.path);
  std::vector<std::string> kinds;
  for (const sim::SimEvent& event : world.events()) {
    if (event.id == "m-0001") kinds.push_back(event.kind);
  }
  CHECK(kinds == std::vector<std::string>{"machine.create", "machine.drain", "machine.uncordon",
                                          "machine.drain", "machine.delete"});
  CHECK_FALSE(world.has_flag("m-0001", "drained"));  // flags go with the machine

  // On a machine that is gone: nothing to drain, but it is not ready.
  CHECK(run_action(provider, "sim.machine", "w", "drain", m).empty());
  CHECK(contains_text(messages(run_action(provider, "sim.machine", "w", "wait_ready", m)),
                      "no longer exists"));
  CHECK(run_action(provider, "sim.machine", "w", "uncordon", m).has_errors());
  CHECK(load_world(dir.path).events().size() == world.events().size());
}

TEST_CASE("sim actions: etcd remove_member keeps the last member, wait_healthy") {
  TempDir dir;
  sim::SimProvider provider;
  configure(provider, dir.path);
  create_ok(provider, "sim.machine", "a", machine(2, 4, "a"));
  create_ok(provider, "sim.machine", "b", machine(2, 4, "b"));
  Value e1 =
      create_ok(provider, "sim.etcd_member", "e1", member("prod", "etcd-0", Value("m-0001")));
  Value e2 =
      create_ok(provider, "sim.etcd_member", "e2", member("prod", "etcd-1", Value("m-0002")));
  Value lone =
      create_ok(provider, "sim.etcd_member", "s", member("staging", "etcd-0", Value("m-0002")));

  // The only member of a cluster cannot be removed.
  diag::Diagnostics last = run_action(provider, "sim.etcd_member", "s", "remove_member", lone);
  REQUIRE(last.error_count() == 1);
  CHECK(contains_text(last.all()[0].message, "last member of etcd cluster \"staging\""));
  CHECK_FALSE(load_world(dir.path).has_flag("etcd-0003", "removed"));

  CHECK(run_action(provider, "sim.etcd_member", "e1", "wait_healthy", e1).empty());
  REQUIRE(run_action(provider, "sim.etcd_member", "e1", "remove_member", e1).empty());
  sim::SimWorld world = load_world(dir.path);
  CHECK(world.has_flag("etcd-0001", "removed"));
  CHECK(world.events().back().kind == "etcd_member.remove_member");
  CHECK(world.events().back().id == "etcd-0001");
  // Removing it again changes nothing; the other member is now the last.
  CHECK(run_action(provider, "sim.etcd_member", "e1", "remove_member", e1).empty());
  CHECK(load_world(dir.path).events().size() == world.events().size());
  CHECK(run_action(provider, "sim.etcd_member", "e2", "remove_member", e2).has_errors());
  CHECK(run_action(provider, "sim.etcd_member", "e2", "wait_healthy", e2,
                   Value::map({{"timeout", sdk::Duration{60000}}}))
            .empty());

  // Deleting after removal; then a cluster with no members is not healthy.
  CHECK(delete_object(provider, "sim.etcd_member", "e1", e1).empty());
  CHECK(delete_object(provider, "sim.etcd_member", "e2", e2).empty());
  CHECK(contains_text(messages(run_action(provider, "sim.etcd_member", "e1", "wait_healthy", e1)),
                      "has no members"));
  CHECK(run_action(provider, "sim.etcd_member", "e1", "remove_member", e1).empty());  // gone
}

TEST_CASE("sim providers without actions report them unsupported") {
  struct Bare final : sdk::Provider {
    sdk::ProviderSchema bare_schema;
    const sdk::ProviderSchema& schema() const override { return bare_schema; }
    diag::Diagnostics configure(const sdk::ConfigureRequest&) override { return {}; }
    diag::Diagnostics validate(const sdk::ValidateRequest&) override { return {}; }
    sdk::ReadResponse read(const sdk::ReadRequest&) override { return {}; }
    sdk::PlanResponse plan_change(const sdk::PlanRequest&) override { return {}; }
    sdk::ApplyResponse apply_change(const sdk::ApplyRequest&) override { return {}; }
  } bare;
  sdk::ActionResponse r =
      bare.run_action(sdk::ActionRequest{"x.thing", "x.thing[\"a\"]", "drain", Value(), Value()});
  REQUIRE(r.diagnostics.error_count() == 1);
  CHECK(r.diagnostics.all()[0].code == diag::Code::E0504);
  CHECK(contains_text(r.diagnostics.all()[0].message, "does not support action `drain`"));
}

TEST_CASE("sim cluster worlds are deterministic") {
  auto run = [] {
    TempDir dir;
    sim::SimProvider provider;
    configure(provider, dir.path, Value::map({{"seed", 4}}));
    std::vector<Value> states;
    states.push_back(create_ok(provider, "sim.network", "n", network()));
    states.push_back(
        create_ok(provider, "sim.subnet", "s", subnet(Value("net-0001"), "10.0.1.0/24")));
    states.push_back(create_ok(provider, "sim.machine", "cp",
                               machine_in(Value("sub-0001"), "a", "control-plane,etcd")));
    states.push_back(create_ok(provider, "sim.machine", "w", machine(2, 4, "a")));
    states.push_back(create_ok(provider, "sim.load_balancer", "api",
                               Value::map({{"name", "api"}, {"port", 6443}})));
    states.push_back(
        create_ok(provider, "sim.etcd_member", "e", member("prod", "e0", Value("m-0001"))));
    Value ca = create_ok(provider, "sim.ca", "ca", Value::map({{"common_name", "k8s"}}));
    states.push_back(ca);
    states.push_back(
        create_ok(provider, "sim.certificate", "c",
                  Value::map({{"ca", *ca.find("fingerprint")}, {"common_name", "api"}})));
    Value boot = create_ok(provider, "sim.bootstrap", "b", bootstrap(Value("m-0001")));
    states.push_back(boot);
    states.push_back(
        create_ok(provider, "sim.join", "j", join(Value("m-0002"), *boot.find("join_token"))));
    states.push_back(
        create_ok(provider, "sim.addon", "a", Value::map({{"cluster", "prod"}, {"name", "dns"}})));
    states.push_back(
        create_ok(provider, "sim.kubeconfig", "k", kubeconfig("k.yaml", *ca.find("certificate"))));
    REQUIRE(run_action(provider, "sim.machine", "w", "drain", states[3]).empty());
    return std::make_pair(states, read_text(dir.path + "/.kc/sim/world.json"));
  };
  auto one = run();
  auto two = run();
  CHECK(one.first == two.first);
  CHECK(one.second == two.second);           // byte-identical worlds
  CHECK(ip_of(one.first[3]) == "10.3.0.2");  // the seed still picks the block of plain machines
  CHECK(contains_text(one.second, "\"format_version\": 3"));
}

TEST_CASE("sim reads version 1 worlds and upgrades them on the next write") {
  TempDir dir;
  std::filesystem::create_directories(dir.path + "/.kc/sim");
  std::ofstream(dir.path + "/.kc/sim/world.json") << R"({
  "format_version": 1,
  "counter": 1,
  "machines": {"m-0001": {"cpu": 2, "memory": "4Gi", "zone": "a", "id": "m-0001", "ip": "10.0.0.1"}},
  "events": [{"seq": 1, "kind": "machine.create", "id": "m-0001", "details": {}}]
})";
  sim::SimProvider provider;
  configure(provider, dir.path);
  Value old = Value::map({{"cpu", 2},
                          {"memory", sdk::ByteSize{4 * kGi}},
                          {"zone", "a"},
                          {"id", "m-0001"},
                          {"ip", *sdk::parse_ip("10.0.0.1")}});
  Value seen = read(provider, old).state;
  REQUIRE_FALSE(seen.is_null());
  CHECK(text(seen, "hostname") == "ip-10-0-0-1");  // filled in for machines that had none
  CHECK(load_world(dir.path).objects("sim.network").empty());

  Value next = create(provider, machine(1, 1, "b"), "sim.machine[\"next\"]");
  CHECK(text(next, "id") == "m-0002");
  create_ok(provider, "sim.network", "n", network());
  sim::SimWorld world = load_world(dir.path);
  CHECK(world.machines().size() == 2);
  CHECK(world.counter() == 2);
  CHECK(world.counter("sim.network") == 1);
  CHECK(world.events().size() == 3);
  // world.json alone is the whole world once the journal is folded (as when a provider closes).
  diag::Diagnostics folded;
  REQUIRE(sim::WorldStore(dir.path).fold(folded));
  const std::string text_now = read_text(dir.path + "/.kc/sim/world.json");
  CHECK(contains_text(text_now, "\"format_version\": 3"));
  CHECK(contains_text(text_now, "\"networks\""));
  CHECK_FALSE(contains_text(text_now, "\"subnets\""));  // kinds never used are left out
  CHECK((std::filesystem::status(dir.path + "/.kc/sim/world.json").permissions() &
         std::filesystem::perms::others_read) == std::filesystem::perms::none);
}
