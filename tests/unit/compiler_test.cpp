// Checker, evaluator and driver: modules served from an in-memory FileSystem (the driver's seam),
// schemas from the real built-in providers.
#include <doctest/doctest.h>

#include <map>

#include "compiler/driver/compilation.h"
#include "compiler/driver/params.h"
#include "compiler/sema/suggest.h"
#include "compiler/sema/types.h"
#include "providers/registry/builtin_providers.h"

namespace kc {
namespace {

// Files by path; a directory exists when some file lies below it.
class MemoryFileSystem : public driver::FileSystem {
 public:
  std::map<std::string, std::string> files;

  std::optional<std::string> read(const std::string& path) const override {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
  bool is_directory(const std::string& path) const override {
    for (const auto& [file, text] : files) {
      if (file.rfind(path + "/", 0) == 0) return true;
    }
    return false;
  }
  bool is_file(const std::string& path) const override { return files.count(path) > 0; }
  std::vector<std::string> kcl_files(const std::string& dir) const override {
    std::vector<std::string> out;
    for (const auto& [file, text] : files) {
      std::string rest = file.substr(std::min(file.size(), dir.size() + 1));
      if (file.rfind(dir + "/", 0) == 0 && rest.find('/') == std::string::npos && rest.size() > 4 &&
          rest.substr(rest.size() - 4) == ".kcl") {
        out.push_back(file);
      }
    }
    return out;
  }
};

struct Fixture {
  MemoryFileSystem fs;
  providers::BuiltinProviders providers;

  std::unique_ptr<driver::Compilation> compile(const std::string& root) {
    auto compilation = std::make_unique<driver::Compilation>(
        driver::CompileOptions{root, {"/stdlib"}, std::nullopt}, providers, fs);
    compilation->check();
    return compilation;
  }
};

std::vector<std::string> codes(const diag::Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.all())
    out.push_back(d.code_string());
  return out;
}

const char* kMachines = R"(
let first = resource sim.machine first { cpu = 1, memory = 1Gi, zone = "a" }
let zone_of_first = first.zone
second = resource sim.machine second { cpu = 2, memory = 2Gi, zone = zone_of_first }
third = resource sim.machine third { cpu = 3, memory = 3Gi, zone = "b", depends_on = [second] }
ip = second.ip
)";

TEST_CASE("references through lets become dependency edges") {
  Fixture f;
  f.fs.files["/m/main.kcl"] = kMachines;
  auto c = f.compile("/m");
  REQUIRE(c->diagnostics().empty());
  eval::DesiredState desired = c->evaluate({}, c->diagnostics());
  REQUIRE(c->diagnostics().empty());
  REQUIRE(desired.resources.size() == 3);
  CHECK(desired.find(R"(sim.machine["first"])")->depends_on.empty());
  CHECK(desired.find(R"(sim.machine["second"])")->depends_on ==
        std::vector<std::string>{R"(sim.machine["first"])"});
  CHECK(desired.find(R"(sim.machine["third"])")->depends_on ==
        std::vector<std::string>{R"(sim.machine["second"])"});
  // `depends_on` is a meta-attribute, not an input the provider sees.
  CHECK(desired.find(R"(sim.machine["third"])")->attributes.find("depends_on") == nullptr);
}

TEST_CASE("outputs are unknown until the state knows them") {
  Fixture f;
  f.fs.files["/m/main.kcl"] = kMachines;
  auto c = f.compile("/m");
  eval::DesiredState before = c->evaluate({}, c->diagnostics());
  CHECK(before.exports.find("ip")->is_unknown());

  std::map<std::string, sdk::Value> known;
  known[R"(sim.machine["second"])"] = sdk::Value::map({{"cpu", 2},
                                                       {"memory", sdk::ByteSize{2LL << 30}},
                                                       {"zone", "a"},
                                                       {"id", "m-0002"},
                                                       {"ip", *sdk::parse_ip("10.0.0.2")}});
  eval::EvalInputs inputs;
  inputs.known = &known;
  eval::DesiredState after = c->evaluate(inputs, c->diagnostics());
  CHECK(sdk::to_string(after.exports.find("ip")->as_ip()) == "10.0.0.2");
}

TEST_CASE("a directory module shares one namespace and reports duplicates across files") {
  Fixture f;
  f.fs.files["/m/a.kcl"] = "size = 1\n";
  f.fs.files["/m/b.kcl"] = "let size = 2\nother = size\n";
  f.fs.files["/m/sub/c.kcl"] = "size = 3\n";  // a subdirectory is not part of the module
  auto c = f.compile("/m");
  CHECK(codes(c->diagnostics()) == std::vector<std::string>{"E0204"});
  const diag::Diagnostic& d = c->diagnostics().all()[0];
  REQUIRE(d.secondary.size() == 1);
  CHECK(c->sources().file(d.span.file).path() !=
        c->sources().file(d.secondary[0].span.file).path());
}

TEST_CASE("imports: relative, standard library, missing and cyclic") {
  Fixture f;
  f.fs.files["/m/main.kcl"] = "import \"./lib\"\nimport \"std/net\"\nx = lib.value\ny = net.cidr\n";
  f.fs.files["/m/lib.kcl"] = "value = 3\n";
  f.fs.files["/stdlib/std/net.kcl"] = "cidr = 10.0.0.0/8\n";
  auto c = f.compile("/m/main.kcl");
  REQUIRE(c->diagnostics().empty());
  eval::DesiredState desired = c->evaluate({}, c->diagnostics());
  CHECK(desired.exports.find("x")->as_int() == 3);
  CHECK(sdk::to_string(desired.exports.find("y")->as_cidr()) == "10.0.0.0/8");

  Fixture g;
  g.fs.files["/m/main.kcl"] = "import \"./a\"\nimport \"./missing\"\n";
  g.fs.files["/m/a.kcl"] = "import \"./b\"\n";
  g.fs.files["/m/b.kcl"] = "import \"./a\"\n";
  auto broken = g.compile("/m/main.kcl");
  std::vector<std::string> found = codes(broken->diagnostics());
  CHECK(std::count(found.begin(), found.end(), "E0203") == 1);
  CHECK(std::count(found.begin(), found.end(), "E0202") == 1);
}

TEST_CASE("params: declared types convert inputs, and a missing value is an error") {
  Fixture f;
  f.fs.files["/m/main.kcl"] = "param size: bytes = 1Gi\nparam count: int\nx = size\ny = count\n";
  auto c = f.compile("/m");
  REQUIRE(c->diagnostics().empty());
  eval::EvalInputs inputs;
  inputs.params["size"] = {sdk::Value("16Gi"), "--var size=16Gi"};
  diag::Diagnostics diags;
  eval::DesiredState desired = c->evaluate(inputs, diags);
  CHECK(codes(diags) == std::vector<std::string>{"E0303"});  // count has no value
  CHECK(desired.exports.find("x")->as_bytes().bytes == 16LL << 30);
}

TEST_CASE("command-line values parse as KCL literals, else strings") {
  CHECK(driver::parse_input_value("5").as_int() == 5);
  CHECK(driver::parse_input_value("16Gi").as_bytes().bytes == 16LL << 30);
  CHECK(driver::parse_input_value("true").as_bool());
  CHECK(driver::parse_input_value("[1, 2]").as_list().size() == 2);
  CHECK(driver::parse_input_value("{ a = 1 }").find("a")->as_int() == 1);
  CHECK(driver::parse_input_value("hello world").as_string() == "hello world");
  CHECK(driver::parse_input_value("\"quoted\"").as_string() == "quoted");
  CHECK(driver::parse_input_value("").as_string() == "");
}

TEST_CASE("param precedence: --var over --var-file over environment") {
  std::string file = "/tmp/kc-compiler-test-vars.yaml";
  {
    FILE* out = std::fopen(file.c_str(), "w");
    REQUIRE(out);
    std::fputs("a: 2\nb: 2\n", out);
    std::fclose(out);
  }
  diag::Diagnostics diags;
  driver::ParamSources sources{
      {"a=3"}, {file}, {"KC_VAR_a=1", "KC_VAR_b=1", "KC_VAR_c=1", "PATH=/x"}};
  auto params = driver::collect_params(sources, diags);
  std::remove(file.c_str());
  CHECK(diags.empty());
  CHECK(params.size() == 3);
  CHECK(params["a"].value.as_int() == 3);
  CHECK(params["b"].value.as_int() == 2);
  CHECK(params["c"].value.as_int() == 1);
  CHECK(params["a"].origin == "--var a=3");
}

TEST_CASE("type assignability") {
  sema::TypeTable t;
  auto prim = [&](sema::TypeKind k) { return t.primitive(k); };
  CHECK(t.assignable(prim(sema::TypeKind::Int), prim(sema::TypeKind::Float)));
  CHECK_FALSE(t.assignable(prim(sema::TypeKind::Float), prim(sema::TypeKind::Int)));
  CHECK(t.assignable(t.list_of(prim(sema::TypeKind::Never)),
                     t.list_of(prim(sema::TypeKind::String))));
  CHECK(t.assignable(prim(sema::TypeKind::Null), t.optional_of(prim(sema::TypeKind::Int))));
  CHECK_FALSE(t.assignable(prim(sema::TypeKind::Null), prim(sema::TypeKind::Int)));
  CHECK(t.assignable(prim(sema::TypeKind::Error), prim(sema::TypeKind::Int)));
  CHECK(t.list_of(prim(sema::TypeKind::Int)) == t.list_of(prim(sema::TypeKind::Int)));
  CHECK(t.to_string(t.map_of(t.optional_of(prim(sema::TypeKind::Bytes)))) == "{string: bytes?}");
}

TEST_CASE("did-you-mean picks the closest close-enough name") {
  CHECK(sema::closest("replica", {"replicas", "region"}) == "replicas");
  CHECK(sema::closest("ZONE", {"zone"}) == "zone");
  CHECK_FALSE(sema::closest("memory", {"cpu", "zone"}).has_value());
  // Equally close when case is ignored: the one whose case matches wins, whatever the order.
  CHECK(sema::closest("Machin", {"machine", "Machine"}) == "Machine");
  CHECK(sema::closest("machin", {"Machine", "machine"}) == "machine");
  // A one- or two-letter name suggests only a name it begins.
  CHECK(sema::closest("ap", {"app", "db"}) == "app");
  CHECK_FALSE(sema::closest("b", {"a", "c"}).has_value());
}

TEST_CASE("a narrower type keeps inside the bounds and the checks of the wider one") {
  sema::TypeTable t;
  sema::TypeId integer = t.primitive(sema::TypeKind::Int);
  auto range = [&](sema::TypeId base, std::optional<int64_t> low, std::optional<int64_t> high) {
    sema::Refinement r;
    if (low) r.low = sdk::Value(*low);
    if (high) r.high = sdk::Value(*high);
    return t.refined(base, r);
  };
  sema::TypeId wide = range(integer, 1, 64);
  CHECK(sema::narrower_or_same(t, range(integer, 1, 8), wide));
  CHECK(sema::narrower_or_same(t, wide, wide));
  CHECK_FALSE(sema::narrower_or_same(t, range(integer, 0, 8), wide));
  CHECK_FALSE(sema::narrower_or_same(t, range(integer, 1, std::nullopt), wide));
  CHECK_FALSE(sema::narrower_or_same(t, integer, wide));
  CHECK(sema::narrower_or_same(t, wide, integer));
  // A range of a range keeps the outer bounds: `Port(1024..)` is `int(1024..65535)`.
  sema::TypeId port = range(integer, 1, 65535);
  sema::TypeId high = range(port, 1024, std::nullopt);
  CHECK(sema::range_text(t, high) == "int(1024..65535)");
  CHECK(sema::narrower_or_same(t, high, port));
  // An alias's checks: a plain string is not narrower than a checked alias of it.
  sema::Refinement alias;
  alias.alias = "Label";
  alias.alias_module = 0;
  alias.alias_symbol = 7;
  sema::TypeId label = t.refined(t.primitive(sema::TypeKind::String), alias);
  sema::Refinement inner;
  inner.alias = "Tiny";
  inner.alias_module = 0;
  inner.alias_symbol = 8;
  sema::TypeId tiny = t.refined(label, inner);
  CHECK(sema::narrower_or_same(t, tiny, label));
  CHECK_FALSE(sema::narrower_or_same(t, t.primitive(sema::TypeKind::String), label));
}

// Compiles and evaluates `text` as /m/main.kcl; the diagnostics of both phases land in `diags`.
eval::DesiredState run(Fixture& f, const std::string& text, diag::Diagnostics& diags,
                       std::unique_ptr<driver::Compilation>& c) {
  f.fs.files["/m/main.kcl"] = text;
  c = f.compile("/m");
  diags.append(c->diagnostics());
  if (diags.has_errors()) return {};
  return c->evaluate({}, diags);
}

TEST_CASE("reading one field of an instance depends on that field's resources only") {
  Fixture f;
  diag::Diagnostics diags;
  std::unique_ptr<driver::Compilation> c;
  eval::DesiredState desired = run(f, R"(
schema Env {
  let a = resource sim.machine a { cpu = 1, memory = 1Gi, zone = "a" }
  let b = resource sim.machine b { cpu = 1, memory = 1Gi, zone = "b" }
}
env = Env {}
reader = resource sim.machine reader { cpu = 1, memory = 1Gi, zone = env.a.zone }
)",
                                   diags, c);
  REQUIRE(diags.empty());
  const eval::DesiredResource* reader = desired.find(R"(sim.machine["reader"])");
  REQUIRE(reader != nullptr);
  CHECK(reader->depends_on == std::vector<std::string>{R"(env.sim.machine["a"])"});
}

TEST_CASE("instances in lists and records own their resources at their own path") {
  Fixture f;
  diag::Diagnostics diags;
  std::unique_ptr<driver::Compilation> c;
  eval::DesiredState desired = run(f, R"(
schema VM {
  let m = resource sim.machine vm { cpu = 1, memory = 1Gi, zone = "a" }
}
list = [VM {}, VM {}]
record = { x = VM {} }
)",
                                   diags, c);
  REQUIRE(diags.empty());
  CHECK(desired.find(R"(list[0].sim.machine["vm"])") != nullptr);
  CHECK(desired.find(R"(list[1].sim.machine["vm"])") != nullptr);
  CHECK(desired.find(R"(record.x.sim.machine["vm"])") != nullptr);
}

TEST_CASE("a map key fills @key through if/else branches and parentheses") {
  Fixture f;
  diag::Diagnostics diags;
  std::unique_ptr<driver::Compilation> c;
  eval::DesiredState desired = run(f, R"(
schema Pool {
  @key name: string
  size: int = 1
}
let big = false
m = { a = if big then Pool { size = 2 } else Pool { size = 3 }, b = (Pool {}) }
)",
                                   diags, c);
  REQUIRE(diags.empty());
  const sdk::Value* m = desired.exports.find("m");
  REQUIRE(m != nullptr);
  CHECK(m->find("a")->find("name")->as_string() == "a");
  CHECK(m->find("a")->find("size")->as_int() == 3);
  CHECK(m->find("b")->find("name")->as_string() == "b");
}

TEST_CASE("a child's @secret field is redacted where its parent is declared") {
  Fixture f;
  diag::Diagnostics diags;
  std::unique_ptr<driver::Compilation> c;
  eval::DesiredState desired = run(f, R"(
schema Base { user: string }
schema Keyed extends Base { @secret key: string }
schema Holder { base: Base }
h = Holder { base = Keyed { user = "u", key = "hunter2" } }
any_list = [Keyed { user = "v", key = "k" }]
)",
                                   diags, c);
  REQUIRE(diags.empty());
  CHECK(desired.exports.find("h")->find("base")->find("key")->as_string() == "(sensitive)");
  CHECK(desired.exports.find("any_list")->as_list()[0].find("key")->as_string() == "(sensitive)");
}

TEST_CASE("an error inside a standard-library function is reported at the user's call") {
  Fixture f;
  f.fs.files["/stdlib/std/calc.kcl"] = "fn halve(n: int) -> int = n / (n - n)\n";
  diag::Diagnostics diags;
  std::unique_ptr<driver::Compilation> c;
  run(f, "import \"std/calc\"\nx = calc.halve(4)\n", diags, c);
  REQUIRE(codes(diags) == std::vector<std::string>{"E0403"});
  const diag::Diagnostic& d = diags.all()[0];
  CHECK(c->sources().file(d.span.file).path() == "/m/main.kcl");
  CHECK(d.secondary.empty());
  CHECK(d.label == "in this call of `halve`");
}

TEST_CASE("checker: one mistake gives one error") {
  Fixture f;
  f.fs.files["/m/main.kcl"] = R"(
enum Tier { app, infra }
schema Pool { tier: Tier = app }
a = Pool { tier = inra }
b = [app]
type A = B
type B = A
)";
  auto c = f.compile("/m");
  CHECK(codes(c->diagnostics()) == std::vector<std::string>{"E0201", "E0201", "E0402"});
}

}  // namespace
}  // namespace kc
