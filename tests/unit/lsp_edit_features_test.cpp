// The language server's editing features: import path completion and schema instance snippets,
// the "add missing required fields" quick fix, range formatting (compiler/format/range.h), and
// signature help read from text being typed.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "compiler/driver/file_system.h"
#include "compiler/format/range.h"
#include "lsp/server/analysis.h"
#include "lsp/server/code_actions.h"
#include "lsp/server/completion.h"
#include "lsp/server/signatures.h"
#include "lsp/server/text_names.h"
#include "providers/registry/builtin_providers.h"
#include "tests/unit/module_fixture.h"

using namespace kc;
using namespace kc::lsp;
using kc::test::write_file;

namespace {

std::vector<std::string> labels(const std::vector<CompletionItem>& items) {
  std::vector<std::string> out;
  for (const CompletionItem& item : items)
    out.push_back(item.label);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Applies edits (not overlapping) to `text`.
std::string apply(std::string text, std::vector<TextEdit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const TextEdit& a, const TextEdit& b) { return a.span.begin > b.span.begin; });
  for (const TextEdit& edit : edits)
    text.replace(edit.span.begin, edit.span.end - edit.span.begin, edit.text);
  return text;
}

struct Workspace : test::ModuleFixture {
  Workspace() : ModuleFixture("kc-lsp-edit") {}

  std::string main() const { return dir.path + "/main.kcl"; }
  Analysis analyze(const std::string& text) {
    write_file(main(), text);
    return analyze_module(dir.path, inputs());
  }
};

}  // namespace

TEST_CASE("lsp completion: import paths from the standard library and relative directories") {
  Workspace w;
  write_file(w.dir.path + "/pools/pools.kcl", "size = 1\n");
  write_file(w.dir.path + "/empty/notes.txt", "no modules here\n");
  write_file(w.dir.path + "/helpers.kcl", "x = 1\n");
  auto complete_in = [&](const std::string& text) {
    CompletionContext context;
    context.text = text;
    context.offset = static_cast<uint32_t>(text.size());
    context.path = w.main();
    context.fs = &w.fs;
    context.stdlib_dirs = &w.stdlib;
    return complete(context);
  };

  std::string std_text = "x = 1\nimport \"std/";
  std::vector<CompletionItem> std_items = complete_in(std_text);
  std::vector<std::string> std_labels = labels(std_items);
  CHECK(has(std_labels, "std/net"));
  CHECK(has(std_labels, "std/cluster"));
  CHECK_FALSE(has(std_labels, "std/net.kcl"));
  REQUIRE(!std_items.empty());
  CHECK(std_items.front().replace_begin == std::optional<uint32_t>(14));  // after the quote

  std::vector<std::string> relative = labels(complete_in("import \"./"));
  CHECK(has(relative, "./pools"));          // a directory holding .kcl files
  CHECK_FALSE(has(relative, "./empty"));    // none inside
  CHECK_FALSE(has(relative, "./helpers"));  // the document's own module

  std::vector<std::string> start = labels(complete_in("import \""));
  CHECK(has(start, "std/semver"));
  CHECK(has(start, "./"));
  CHECK(has(start, "../"));
  CHECK(has(start, "./pools"));

  // Outside an import string: no paths.
  CHECK_FALSE(has(labels(complete_in("x = \"std/")), "std/net"));
  CHECK_FALSE(has(labels(complete_in("import \"std/net\" as n\nx = ")), "std/net"));
}

TEST_CASE("lsp completion: a schema instance snippet, and the values of a declared type") {
  Workspace w;
  Analysis analysis = w.analyze(
      "enum Tier { gold, silver }\n"
      "schema Host {\n  name: string\n  port: int(1..65535)\n  tier: Tier\n  size: int = 3\n}\n"
      "h = Host { name = \"a\", port = 1, tier = gold }\n");
  REQUIRE(analysis.compilation->checked() != nullptr);
  std::string text = "x = Ho";
  CompletionContext context;
  context.text = text;
  context.offset = static_cast<uint32_t>(text.size());
  context.analysis = &analysis;
  context.snippets = true;
  std::vector<CompletionItem> items = complete(context);
  auto it = std::find_if(items.begin(), items.end(),
                         [](const CompletionItem& i) { return i.label == "Host {…}"; });
  REQUIRE(it != items.end());
  CHECK(it->snippet);
  CHECK(it->filter == "Host");
  CHECK(it->insert == "Host {\n  name = ${1:\"\"}\n  port = ${2:1}\n  tier = ${3:gold}\n}$0");

  // Where a declaration's type is an enum, or bool, its values.
  std::string let_text = "let t: Tier = ";
  context.text = let_text;
  context.offset = static_cast<uint32_t>(let_text.size());
  CHECK(labels(complete(context)) == std::vector<std::string>{"gold", "silver"});
  std::string param_text = "param p: bool = f";
  context.text = param_text;
  context.offset = static_cast<uint32_t>(param_text.size());
  CHECK(labels(complete(context)) == std::vector<std::string>{"true", "false"});
  context.text = text;
  context.offset = static_cast<uint32_t>(text.size());

  context.snippets = false;  // the client takes no snippets: no instance item
  CHECK_FALSE(has(labels(complete(context)), "Host {…}"));
  CHECK(has(labels(complete(context)), "Host"));
}

TEST_CASE("lsp code actions: add missing required fields, in each body layout") {
  Workspace w;
  std::string head =
      "enum Tier { gold, silver }\n"
      "schema Host {\n  name: string\n  port: int\n  tier: Tier\n  tags: [string]\n"
      "  size: int = 3\n}\n";
  struct Case {
    std::string body, fixed, title;
  };
  std::vector<Case> cases = {
      {"h = Host {}\n", "h = Host {\n  name = \"\"\n  port = 0\n  tier = gold\n  tags = []\n}\n",
       "Add missing required fields `name`, `port`, `tier`, `tags`"},
      {"h = Host {\n    name = \"a\"\n    tier = silver\n}\n",
       "h = Host {\n    name = \"a\"\n    tier = silver\n    port = 0\n    tags = []\n}\n",
       "Add missing required fields `port`, `tags`"},
      {"h = Host { name = \"a\", port = 1, tier = gold }\n",
       "h = Host { name = \"a\", port = 1, tier = gold, tags = [] }\n",
       "Add missing required field `tags`"},
      {"let hosts: [Host] = [\n  {\n    name = \"a\"\n    port = 1\n    tier = gold\n  },\n]\n",
       "let hosts: [Host] = [\n  {\n    name = \"a\"\n    port = 1\n    tier = gold\n    tags = "
       "[]\n  "
       "},\n]\n",
       "Add missing required field `tags`"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    std::string text = head + c.body;
    Analysis analysis = w.analyze(text);
    std::vector<QuickFix> fixes = quick_fixes(analysis, w.main(), 0, UINT32_MAX);
    auto fix = std::find_if(fixes.begin(), fixes.end(), [](const QuickFix& f) {
      return f.title.rfind("Add missing required", 0) == 0;
    });
    REQUIRE(fix != fixes.end());
    CHECK(fix->title == c.title);
    CHECK(fix->preferred);
    REQUIRE(fix->diagnostics.size() == 1);
    CHECK(fix->diagnostics.front()->code == diag::Code::E0303);
    std::string fixed = apply(text, fix->edits);
    CHECK(fixed == head + c.fixed);
    // The placeholders type-check: the fixed text has no error left.
    Analysis again = w.analyze(fixed);
    CHECK_FALSE(again.diagnostics.has_errors());
  }
}

TEST_CASE("lsp code actions: missing resource attributes, and did-you-mean fixes") {
  Workspace w;
  std::string text = "n = resource sim.network \"n\" {\n  region = \"eu\"\n}\n";
  Analysis analysis = w.analyze(text);
  std::vector<QuickFix> fixes = quick_fixes(analysis, w.main(), 0, UINT32_MAX);
  REQUIRE(fixes.size() == 1);
  CHECK(fixes[0].title == "Add missing required attribute `cidr`");
  CHECK(apply(text, fixes[0].edits) ==
        "n = resource sim.network \"n\" {\n  region = \"eu\"\n  cidr = 10.0.0.0/16\n}\n");

  std::string misspelt = "enum Tier { gold, silver }\nlet x: Tier = silvr\n";
  Analysis typo = w.analyze(misspelt + "y = x\n");
  std::vector<QuickFix> replace = quick_fixes(typo, w.main(), 0, UINT32_MAX);
  REQUIRE(replace.size() == 1);
  CHECK(replace[0].title == "replace with `silver`");
  CHECK(apply(misspelt, replace[0].edits).find("let x: Tier = silver\n") != std::string::npos);
}

TEST_CASE("range formatting: only the selected lines, widened to whole declarations") {
  source::SourceManager sources;
  std::string text =
      "a   =  1\n"
      "b = {\n"
      "     x   = 1\n"
      "  y =    2\n"
      "}\n"
      "c   =  3\n";
  source::FileId file = sources.add("main.kcl", text);

  format::RangeFormatResult first = format::format_lines(sources, file, 0, 0);
  REQUIRE(first.ok);
  REQUIRE(first.edits.size() == 1);
  CHECK(first.edits[0].first == 0);
  CHECK(first.edits[0].end == 1);
  CHECK(first.edits[0].text == "a = 1\n");

  // Line 3 lies inside `b = { ... }`: the whole declaration is formatted, nothing else.
  format::RangeFormatResult inner = format::format_lines(sources, file, 3, 3);
  REQUIRE(inner.ok);
  std::string changed;
  for (const format::LineReplacement& edit : inner.edits) {
    CHECK(edit.first >= 1);
    CHECK(edit.end <= 5);
    changed += edit.text;
  }
  CHECK(changed == "  x = 1\n  y = 2\n");

  format::RangeFormatResult all = format::format_lines(sources, file, 0, 5);
  CHECK(all.edits.size() == 3);

  source::FileId broken = sources.add("broken.kcl", "a = (\n");
  CHECK_FALSE(format::format_lines(sources, broken, 0, 0).ok);
}

TEST_CASE("lsp while typing: dotted names in the text, and the call a cursor is in") {
  uint32_t begin = 99;
  CHECK(dotted_name_before("x = lib.pool.machine", 20, &begin) ==
        std::vector<std::string>{"lib", "pool", "machine"});
  CHECK(begin == 4);
  CHECK(dotted_name_before("x = 1.", 5, &begin).empty());  // a number, not a name
  CHECK(dotted_name_before("x = (", 5, &begin).empty());

  Workspace w;
  Analysis analysis = w.analyze(
      "## Doubles.\nfn double(x: int, y: int = 1) -> int = x * 2 + y\n"
      "schema Pool {\n  size: int = 3\n}\n");
  const sema::CheckedProgram& checked = *analysis.compilation->checked();
  const source::SourceManager& sources = analysis.compilation->sources();
  auto active = [&](std::string_view text) -> std::optional<uint32_t> {
    auto info = signature_in_text(checked, sources, text, static_cast<uint32_t>(text.size()));
    if (!info) return std::nullopt;
    CHECK(info->label == "fn double(x: int, y: int = 1) -> int");
    CHECK(info->doc == "Doubles.");
    return info->active;
  };
  CHECK(active("a = double(") == 0u);
  CHECK(active("a = double(1, ") == 1u);
  CHECK(active("a = double([1, 2], \"a, b\", ") == 1u);  // clamped to the last parameter
  CHECK(active("a = double(\n  Pool { size = 1 }.size,\n  ") == 1u);
  CHECK_FALSE(active("a = double(1) + ("));  // the open parenthesis is not a call
  CHECK_FALSE(active("a = nothing("));
  CHECK_FALSE(active("# double(\na = 1"));
}
