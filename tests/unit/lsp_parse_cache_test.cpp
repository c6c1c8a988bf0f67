// The language server's incremental analysis: a module analysed again through a ParseCache, a
// CheckCache and a lint DataTableCache after edits gives exactly the diagnostics, paths and types
// of a fresh compilation, and parses only what changed; and StaleAnalysis carries offsets of an
// older analysis to the current text.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/driver/check_cache.h"
#include "compiler/driver/file_system.h"
#include "compiler/driver/parse_cache.h"
#include "compiler/syntax/parse.h"
#include "lsp/server/analysis.h"
#include "lsp/server/stale_analysis.h"
#include "providers/registry/builtin_providers.h"
#include "tests/unit/module_fixture.h"

using namespace kc;
using namespace kc::lsp;
using kc::test::write_file;

namespace {

// Everything an analysis publishes or answers from, as text: each diagnostic with its file, span,
// code, message and label; the files; whether it checked, the checked types and every tree.
std::string render(const Analysis& analysis) {
  std::string out;
  for (const diag::Diagnostic& d : analysis.diagnostics.all()) {
    std::string file = d.span.valid() ? analysis.paths.at(d.span.file) : "-";
    out += file + ":" + std::to_string(d.span.begin) + "-" + std::to_string(d.span.end) + " " +
           d.code_string() + " " + d.message + " | " + d.label + "\n";
  }
  for (const std::string& path : analysis.paths)
    out += "file " + path + "\n";
  const sema::CheckedProgram* checked = analysis.compilation->checked();
  out += checked != nullptr ? "checked\n" : "not checked\n";
  out += analysis.compilation->dump_types();
  // Every tree with the line and column of each node, read through its spans' FileIds: a tree
  // reused under another FileId points into another file and dumps differently.
  if (checked != nullptr) {
    const source::SourceManager& sources = analysis.compilation->sources();
    for (const sema::SourceModule& module : checked->program->modules) {
      for (const ast::File* file : module.files)
        out += "tree " + sources.file(file->file).path() + "\n" + syntax::dump(*file, sources);
    }
  }
  out += analysis.desired ? "evaluated\n" : "not evaluated\n";
  return out;
}

struct Workspace : test::ModuleFixture {
  Workspace() : ModuleFixture("kc-lsp-cache") {}

  driver::ParseCache cache;
  driver::CheckCache checks;
  lint::DataTableCache tables;

  // Analyses through the caches and afresh; they must agree. Returns the cached one's rendering.
  std::string both() {
    std::string cached = render(analyze_module(dir.path, inputs(), {&cache, &checks, &tables}));
    std::string fresh = render(analyze_module(dir.path, inputs()));
    CHECK(cached == fresh);
    return cached;
  }
};

const char* kMain =
    "import \"./lib\"\n"
    "schema Pool {\n  size: int = 3\n  zone: string = \"a\"\n}\n"
    "p = Pool { size = lib.base + 1 }\n";
const char* kOther = "let k = 2\nq = Pool { size = k }\n";
const char* kLib = "base = 4\n";

}  // namespace

TEST_CASE("lsp parse cache: edits give the diagnostics of a fresh compilation") {
  Workspace w;
  write_file(w.dir.path + "/main.kcl", kMain);
  write_file(w.dir.path + "/other.kcl", kOther);
  write_file(w.dir.path + "/lib/lib.kcl", kLib);

  std::string first = w.both();
  CHECK(first.find("checked\n") != std::string::npos);
  CHECK(first.find("not checked") == std::string::npos);
  size_t parsed = w.cache.misses();
  CHECK(parsed >= 4);  // main, other, lib and the prelude at least

  // Nothing changed: nothing is parsed.
  w.both();
  CHECK(w.cache.misses() == parsed);

  // An edit to one file parses that file only.
  write_file(w.dir.path + "/other.kcl", "let k = 5\nq = Pool { size = k }\n");
  w.both();
  CHECK(w.cache.misses() == parsed + 1);

  // A syntax error: not checked, its E01xx reported, the same as afresh.
  write_file(w.dir.path + "/other.kcl", "let k = 5\nq = Pool { size = k \n");
  std::string broken = w.both();
  CHECK(broken.find("not checked") != std::string::npos);
  CHECK(broken.find(" E01") != std::string::npos);

  // And removed again: back to the first analysis but for the new value.
  write_file(w.dir.path + "/other.kcl", kOther);
  CHECK(w.both() == first);

  // An edit to the imported module's file: a type error there, then fixed.
  write_file(w.dir.path + "/lib/lib.kcl", "base = \"four\"\n");
  std::string typed = w.both();
  CHECK(typed.find("checked\n") != std::string::npos);
  CHECK(typed != first);
  write_file(w.dir.path + "/lib/lib.kcl", kLib);
  CHECK(w.both() == first);

  // A new import moves the prelude to another FileId: parsed again there, still the same result.
  write_file(w.dir.path + "/more.kcl", "extra = 1\n");
  write_file(w.dir.path + "/main.kcl", std::string("import \"std/net\"\n") + kMain);
  w.both();
  write_file(w.dir.path + "/main.kcl", kMain);
  std::filesystem::remove(w.dir.path + "/more.kcl");
  CHECK(w.both() == first);
}

TEST_CASE("lsp stale analysis: offsets outside the edited region move with the text") {
  // "abc XYZ def" -> "abc Q def": [4, 7) became [4, 5).
  TextShift shift("abc XYZ def", "abc Q def");
  CHECK(shift.to_old(1) == 1u);
  CHECK(shift.to_old(3) == 3u);
  CHECK_FALSE(shift.to_old(4).has_value());  // the edit's edges belong to it
  CHECK_FALSE(shift.to_old(5).has_value());
  CHECK(shift.to_old(7) == 9u);  // `e` of def
  CHECK(shift.to_new({0, 0, 3}) == source::Span{0, 0, 3});
  CHECK(shift.to_new({0, 8, 11}) == source::Span{0, 6, 9});
  CHECK_FALSE(shift.to_new({0, 2, 6}).has_value());
  CHECK_FALSE(shift.to_new({0, 5, 6}).has_value());

  // An insertion leaves the spans on both sides whole.
  TextShift insert("ab cd", "ab xx cd");
  CHECK(insert.to_new({0, 0, 2}) == source::Span{0, 0, 2});
  CHECK(insert.to_new({0, 3, 5}) == source::Span{0, 6, 8});
  CHECK_FALSE(insert.to_new({0, 1, 4}).has_value());

  TextShift same("same", "same");
  CHECK(same.unchanged());
  CHECK(same.to_old(2) == 2u);
  CHECK(same.to_new({0, 0, 4}) == source::Span{0, 0, 4});
}
