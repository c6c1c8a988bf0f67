// The check cache (compiler/driver/check_cache.h): a program compiled again after edits checks only
// the modules the edit can change, and its diagnostics and every checked record are those of a
// fresh compilation.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/driver/check_cache.h"
#include "compiler/driver/compilation.h"
#include "compiler/driver/file_system.h"
#include "compiler/driver/parse_cache.h"
#include "compiler/sema/check.h"
#include "providers/registry/builtin_providers.h"
#include "tests/unit/module_fixture.h"

using namespace kc;
using kc::test::write_file;

namespace {

std::string ref(const sema::ExprRef& at) {
  return std::to_string(at.module) + "/" + std::to_string(at.file) + "/" +
         std::to_string(at.expr.index);
}

std::string span(source::Span at) {
  return std::to_string(at.file) + ":" + std::to_string(at.begin) + "-" + std::to_string(at.end);
}

// Every record the checker makes, types written out (a carried module's types have other ids).
std::string describe(const sema::CheckedProgram& checked) {
  const sema::TypeTable& types = checked.types;
  auto type = [&](sema::TypeId id) {
    std::string text = types.to_string(id);
    // Schema parents live in the table: a carried table must keep them.
    for (auto parent = types.parent(id); parent; parent = types.parent(*parent))
      text += " < " + types.to_string(*parent);
    return text;
  };
  std::string out;
  for (uint32_t m = 0; m < checked.modules.size(); ++m) {
    const sema::CheckedModule& module = checked.modules[m];
    out += "module " + checked.source(m).name + "\n";
    for (const sema::Symbol& s : module.symbols) {
      out += "  symbol " + s.name + " " + std::to_string(static_cast<int>(s.kind)) + " " +
             type(s.type) + " " + span(s.span) + " module " + std::to_string(s.module) + "\n";
    }
    for (size_t f = 0; f < module.expr_types.size(); ++f) {
      for (size_t e = 0; e < module.expr_types[f].size(); ++e)
        out += "  expr " + std::to_string(f) + "/" + std::to_string(e) + " " +
               type(module.expr_types[f][e]) + "\n";
      for (const auto& [e, target] : module.names[f])
        out += "  name " + std::to_string(e) + " -> " + std::to_string(target.module) + "." +
               std::to_string(target.symbol) + "\n";
      for (const auto& [at, use] : module.uses[f])
        out += "  use " + std::to_string(at) + " " + std::to_string(static_cast<int>(use.kind)) +
               " " + std::to_string(use.module) + "." + std::to_string(use.symbol) + " " +
               use.member + " " + use.resource + " " + span(use.span) + "\n";
    }
    for (const auto& [s, fn] : module.functions) {
      out += "  fn " + std::to_string(s) + " -> " + type(fn.result) + " required " +
             std::to_string(fn.required);
      for (sema::TypeId param : fn.params)
        out += " " + type(param);
      out += "\n";
    }
    for (const auto& [s, schema] : module.schemas) {
      out += "  schema " + schema.name + " " + type(schema.type) + " parent " +
             std::to_string(schema.parent_module) + "." + std::to_string(schema.parent_symbol) +
             " checks " + std::to_string(schema.checks.size()) + "\n";
      for (const sema::FieldInfo& field : schema.fields)
        out += "    field " + field.name + " " + type(field.type) + " " + span(field.span) +
               (field.default_value ? " = " + ref(*field.default_value) : "") +
               (field.required ? " required" : "") + (field.key ? " key" : "") + "\n";
      for (const sema::SchemaLet& let : schema.lets)
        out += "    let " + let.name + " " + type(let.type) + " = " + ref(let.value) + "\n";
    }
    for (const auto& [s, enumeration] : module.enums)
      out += "  enum " + enumeration.name + " " + type(enumeration.type) + " " +
             std::to_string(enumeration.members.size()) + "\n";
    for (const auto& [s, checks] : module.alias_checks)
      out +=
          "  alias checks " + std::to_string(s) + " " + std::to_string(checks.lines.size()) + "\n";
  }
  return out;
}

// Diagnostics in each file's order: what the language server publishes per file.
std::string describe(const diag::Diagnostics& diagnostics) {
  std::vector<diag::Diagnostic> list = diagnostics.all();
  std::stable_sort(list.begin(), list.end(),
                   [](const auto& a, const auto& b) { return a.span.file < b.span.file; });
  std::string out;
  for (const diag::Diagnostic& d : list) {
    out += span(d.span) + " " + d.code_string() + " " + d.message + " | " + d.label + "\n";
    for (const diag::Label& label : d.secondary)
      out += "  " + span(label.span) + " " + label.message + "\n";
    for (const std::string& note : d.notes)
      out += "  note " + note + "\n";
    for (const diag::Fix& fix : d.fixes)
      out += "  fix " + span(fix.span) + " " + fix.replacement + "\n";
  }
  return out;
}

struct Workspace : test::ModuleFixture {
  Workspace() : ModuleFixture("kc-check-cache") {}

  driver::ParseCache parses;
  driver::CheckCache checks;

  std::string compile(bool cached) {
    driver::CompileOptions options;
    options.path = dir.path + "/app";
    options.stdlib_dirs = stdlib;
    driver::Compilation compilation(options, providers, fs);
    if (cached) {
      compilation.use_parse_cache(&parses);
      compilation.use_check_cache(&checks);
    }
    compilation.check();
    std::string out = describe(compilation.diagnostics());
    if (const sema::CheckedProgram* checked = compilation.checked()) out += describe(*checked);
    return out;
  }
  // Compiles through the caches and afresh; they must agree. Returns the cached one's description.
  std::string both() {
    std::string cached = compile(true);
    std::string fresh = compile(false);
    CHECK(cached == fresh);
    return cached;
  }
  void write(const std::string& file, const std::string& text) {
    write_file(dir.path + "/app/" + file, text);
  }
};

// Three modules in a chain (main imports lib and base, lib imports base) with what crosses module
// boundaries: a schema family over all three (inherited fields, lets and checks), an enum compared
// by a bare member, refined and checked aliases, functions, and a mistake in base.
const char* kBase =
    "enum Tier { gold, silver }\n"
    "type Port = int(1..65535)\n"
    "type Label = string check { len(self) <= 8 : \"at most 8\" }\n"
    "schema Node {\n"
    "  name: Label\n"
    "  tier: Tier = gold\n"
    "  let tag = name + \"-node\"\n"
    "  check { len(name) > 0 : \"named\" }\n"
    "}\n"
    "fn twice(x: int) -> int = x * 2\n"
    "wrong = 1 + \"a\"\n";
const char* kLibA =
    "import \"../base\"\n"
    "schema Pool extends base.Node {\n"
    "  size: base.Port = 3\n"
    "  let doubled = base.twice(size)\n"
    "}\n"
    "first = Pool { name = \"p\" }\n";
const char* kLibB =
    "same = first.tier == gold\nlet ports: [base.Port] = [80, 443]\nport_count = len(ports)\n";
const char* kMain =
    "import \"./lib\"\n"
    "import \"./base\"\n"
    "schema Big extends lib.Pool {\n"
    "  extra: int = 1\n"
    "}\n"
    "big = Big { name = \"b\", size = 4 }\n"
    "let node: base.Node = big\n"
    "tag = big.tag\n"
    "gold_tier = big.tier == gold\n"
    "four = base.twice(lib.first.doubled)\n";

void write_all(Workspace& w) {
  w.write("base/base.kcl", kBase);
  w.write("lib/a.kcl", kLibA);
  w.write("lib/b.kcl", kLibB);
  w.write("main.kcl", kMain);
}

}  // namespace

TEST_CASE("check cache: an edit re-checks the changed module and what sees it, as afresh") {
  Workspace w;
  write_all(w);
  std::string first = w.both();
  // The mistake in base is reported, and the program checked.
  CHECK(first.find("E0301") != std::string::npos);
  CHECK(first.find("module ") != std::string::npos);
  size_t modules = w.checks.last_checked() + w.checks.last_reused();
  CHECK(modules >= 5);  // app, lib, base, the prelude and its imports
  CHECK(w.checks.last_reused() == 0);

  // Nothing changed: every module carried over.
  CHECK(w.both() == first);
  CHECK(w.checks.last_reused() == modules);
  CHECK(w.checks.last_checked() == 0);

  // An edit to the root module re-checks only it; base's mistake is still reported.
  w.write("main.kcl", std::string(kMain) + "more = big.size + 1\n");
  std::string edited = w.both();
  CHECK(edited != first);
  CHECK(edited.find("E0301") != std::string::npos);
  CHECK(w.checks.last_checked() == 1);
  CHECK(w.checks.last_reused() == modules - 1);

  // A mistake in the root: reported, and gone again when fixed.
  w.write("main.kcl", std::string(kMain) + "bad = big.nope\n");
  CHECK(w.both().find("nope") != std::string::npos);
  CHECK(w.checks.last_checked() == 1);
  w.write("main.kcl", kMain);
  CHECK(w.both() == first);

  // An edit to lib re-checks lib and main, not base or the standard library.
  w.write("lib/b.kcl", std::string(kLibB) + "third = first.size * 3\n");
  w.both();
  CHECK(w.checks.last_checked() == 2);

  // An edit to base re-checks all three: fixing its mistake.
  w.write("base/base.kcl",
          std::string(kBase).replace(std::string(kBase).find("1 + \"a\""), 7, "1 + 2"));
  std::string fixed = w.both();
  CHECK(fixed.find("E0301") == std::string::npos);
  CHECK(w.checks.last_checked() == 3);

  // A syntax error skips the check and keeps the last one to carry from.
  w.write("main.kcl", "big = \n");
  w.both();
  w.write("main.kcl", kMain);
  w.both();
  CHECK(w.checks.last_checked() == 1);

  // A new import changes the modules' order: nothing is carried that does not match.
  w.write("main.kcl", std::string("import \"std/net\"\n") + kMain);
  w.both();
  w.write("main.kcl", kMain);
  w.both();
}

TEST_CASE("check cache: a schema's inherited let is typed and reported once") {
  Workspace w;
  w.write("main.kcl",
          "schema A {\n  n: int = 1\n  let x = nope + 1\n}\n"
          "schema B extends A {\n  m: int = 2\n}\n"
          "b = B {}\ny = b.x\n");
  std::string out = w.both();
  size_t first = out.find("unknown name `nope`");
  REQUIRE(first != std::string::npos);
  CHECK(out.find("unknown name `nope`", first + 1) == std::string::npos);
}
