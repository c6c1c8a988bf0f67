// Unit tests of compiler/diag: the code registry, the Diagnostics list, and the three renderers
// (human, short, json) on real sources.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/render.h"

using kc::diag::Code;
using kc::diag::Diagnostic;
using kc::diag::Diagnostics;
using kc::diag::Format;
using kc::diag::RenderOptions;
using kc::diag::Severity;
using kc::source::SourceManager;
using kc::source::Span;

namespace {

// clusters/prod.kcl with `replica = 3` on line 14, as in the CLI.md example.
struct ProdExample {
  SourceManager sources;
  kc::source::FileId file;
  Span span;
  ProdExample() {
    std::string text;
    for (int i = 1; i <= 13; ++i)
      text += "# line " + std::to_string(i) + "\n";
    uint32_t line_start = static_cast<uint32_t>(text.size());
    text += "      replica = 3\n}\n";
    file = sources.add("clusters/prod.kcl", text);
    span = Span{file, line_start + 6, line_start + 13};
  }
  Diagnostic diagnostic() const {
    Diagnostics list;
    list.error(Code::E0302, span, "unknown field `replica` in `NodePool`")
        .with_label("did you mean `replicas`?");
    return list.all().front();
  }
};

}  // namespace

TEST_CASE("codes come from codes.def in registry order") {
  CHECK(kc::diag::code_name(Code::E0302) == "E0302");
  CHECK(kc::diag::code_title(Code::E0302) == "unknown field");
  CHECK(kc::diag::code_name(Code::E0101) == "E0101");
  CHECK(kc::diag::code_title(Code::E0103) == "bad literal or unit");
  const auto& codes = kc::diag::all_codes();
  REQUIRE(codes.size() >= 3);
  CHECK(codes.front() == Code::E0101);
  CHECK(codes[1] == Code::E0102);
  for (size_t i = 1; i < codes.size(); ++i) {
    CHECK(kc::diag::code_name(codes[i - 1]) < kc::diag::code_name(codes[i]));
  }
  CHECK(kc::diag::severity_name(Severity::Error) == "error");
  CHECK(kc::diag::severity_name(Severity::Warning) == "warning");
  CHECK(kc::diag::severity_name(Severity::Info) == "info");
}

TEST_CASE("Diagnostics counts errors, builds, appends and sorts") {
  Diagnostics list;
  list.warning(Code::E0301, Span{1, 5, 6}, "w1");
  list.error(Code::E0302, Span{0, 9, 10}, "e1")
      .with_label("here")
      .with_secondary(Span{0, 1, 2}, "there")
      .with_note("n")
      .with_fix("fix it", Span{0, 9, 10}, "y");
  list.error(Code::E0504, Span{}, "no span");
  list.error(Code::E0101, Span{0, 2, 3}, "e2");
  CHECK(list.has_errors());
  CHECK(list.error_count() == 3);
  CHECK(list.all().size() == 4);

  const Diagnostic& built = list.all()[1];
  CHECK(built.label == "here");
  REQUIRE(built.secondary.size() == 1);
  CHECK(built.secondary[0].message == "there");
  CHECK(built.notes == std::vector<std::string>{"n"});
  REQUIRE(built.fixes.size() == 1);
  CHECK(built.fixes[0].replacement == "y");
  CHECK(built.code_string() == "E0302");

  Diagnostic lint;
  lint.severity = Severity::Info;
  lint.rule = "etcd-even-members";
  CHECK(lint.code_string() == "etcd-even-members");

  Diagnostics more;
  more.error(Code::E0101, Span{0, 2, 3}, "e3");  // same place as e2: keeps report order
  more.add(lint);
  list.append(more);
  CHECK(list.error_count() == 4);
  CHECK(list.all().size() == 6);

  list.sort();
  std::vector<std::string> order;
  for (const auto& d : list.all())
    order.push_back(d.message);
  CHECK(order == std::vector<std::string>{"e2", "e3", "e1", "w1", "no span", ""});

  Diagnostics empty;
  CHECK(empty.empty());
  CHECK_FALSE(empty.has_errors());
}

TEST_CASE("human rendering reproduces the CLI.md example byte for byte") {
  ProdExample ex;
  CHECK(kc::diag::render_human(ex.diagnostic(), ex.sources, false) ==
        "error[E0302]: unknown field `replica` in `NodePool`\n"
        "  --> clusters/prod.kcl:14:7\n"
        "   |\n"
        "14 |       replica = 3\n"
        "   |       ^^^^^^^ did you mean `replicas`?\n"
        "\n");
}

TEST_CASE("human rendering: notes, help and color") {
  ProdExample ex;
  Diagnostic d = ex.diagnostic();
  d.with_note("fields of `NodePool`: name, replicas, size")
      .with_fix("write `replicas`", ex.span, "replicas");
  CHECK(kc::diag::render_human(d, ex.sources, false) ==
        "error[E0302]: unknown field `replica` in `NodePool`\n"
        "  --> clusters/prod.kcl:14:7\n"
        "   |\n"
        "14 |       replica = 3\n"
        "   |       ^^^^^^^ did you mean `replicas`?\n"
        "   = note: fields of `NodePool`: name, replicas, size\n"
        "   = help: write `replicas`\n"
        "\n");

  std::string colored = kc::diag::render_human(d, ex.sources, true);
  CHECK(colored.find("\x1b[1;31merror[E0302]\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[1m: unknown field `replica` in `NodePool`\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[1;34m-->\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[1;34m14 |\x1b[0m") != std::string::npos);
  CHECK(kc::diag::render_human(d, ex.sources, false).find('\x1b') == std::string::npos);

  d.severity = Severity::Warning;
  CHECK(kc::diag::render_human(d, ex.sources, true).find("\x1b[1;33mwarning[E0302]") !=
        std::string::npos);
}

TEST_CASE("human rendering: a multi-line span underlines the rest of its first line") {
  SourceManager sources;
  auto f = sources.add("m.kcl", "value = foo(1,\n  2)\n");
  Diagnostics list;
  list.error(Code::E0301, Span{f, 8, 18}, "type mismatch").with_label("expected int");
  CHECK(kc::diag::render_human(list.all()[0], sources, false) ==
        "error[E0301]: type mismatch\n"
        " --> m.kcl:1:9\n"
        "  |\n"
        "1 | value = foo(1,\n"
        "  |         ^^^^^^ expected int\n"
        "\n");
}

TEST_CASE("human rendering: carets count code points and keep tabs") {
  SourceManager sources;
  auto f = sources.add("t.kcl", "\tnamé =\t\"ü名\"\n");
  // `"ü名"` starts at byte 9 (tab, "namé" is 5 bytes, " =", tab) and is 7 bytes long.
  Diagnostics list;
  list.error(Code::E0301, Span{f, 9, 16}, "type mismatch").with_label("not an int");
  CHECK(kc::diag::render_human(list.all()[0], sources, false) ==
        "error[E0301]: type mismatch\n"
        " --> t.kcl:1:9\n"
        "  |\n"
        "1 | \tnamé =\t\"ü名\"\n"
        "  | \t      \t^^^^ not an int\n"
        "\n");
}

TEST_CASE("human rendering: an empty span at the end of a line gets one caret") {
  SourceManager sources;
  auto f = sources.add("e.kcl", "x = \n");
  Diagnostics list;
  list.error(Code::E0101, Span{f, 4, 4}, "expected an expression");
  CHECK(kc::diag::render_human(list.all()[0], sources, false) ==
        "error[E0101]: expected an expression\n"
        " --> e.kcl:1:5\n"
        "  |\n"
        "1 | x = \n"
        "  |     ^\n"
        "\n");
}

TEST_CASE("human rendering: secondary labels in the same file and in another file") {
  SourceManager sources;
  auto d = sources.add("d.kcl", "x = 1\ny = 2\nx = 3\n");
  std::string other_text;
  for (int i = 1; i <= 11; ++i)
    other_text += "\n";
  other_text += "let x = 0\n";
  auto e = sources.add("other/e.kcl", other_text);

  Diagnostics list;
  list.error(Code::E0204, Span{d, 12, 13}, "duplicate declaration of `x`")
      .with_label("declared again here")
      .with_secondary(Span{e, 15, 16}, "also here")
      .with_secondary(Span{d, 0, 1}, "first declared here")
      .with_note("names in a module are unique");
  CHECK(kc::diag::render_human(list.all()[0], sources, false) ==
        "error[E0204]: duplicate declaration of `x`\n"
        "  --> d.kcl:3:1\n"
        "   |\n"
        " 3 | x = 3\n"
        "   | ^ declared again here\n"
        " 1 | x = 1\n"
        "   | - first declared here\n"
        "  --> other/e.kcl:12:5\n"
        "   |\n"
        "12 | let x = 0\n"
        "   |     - also here\n"
        "   = note: names in a module are unique\n"
        "\n");
}

TEST_CASE("human rendering: no span prints the header and notes; lint rules replace the code") {
  SourceManager sources;
  Diagnostics list;
  list.error(Code::E0504, Span{}, "the state is locked").with_note("held by pid 42 since 10:00");
  CHECK(kc::diag::render_human(list.all()[0], sources, false) ==
        "error[E0504]: the state is locked\n"
        "  = note: held by pid 42 since 10:00\n"
        "\n");

  auto f = sources.add("c.kcl", "etcd = { members = 2 }\n");
  Diagnostic lint;
  lint.severity = Severity::Warning;
  lint.rule = "etcd-even-members";
  lint.span = Span{f, 19, 20};
  lint.message = "an even number of etcd members";
  lint.label = "use 3";
  CHECK(kc::diag::render_human(lint, sources, false) ==
        "warning[etcd-even-members]: an even number of etcd members\n"
        " --> c.kcl:1:20\n"
        "  |\n"
        "1 | etcd = { members = 2 }\n"
        "  |                    ^ use 3\n"
        "\n");
  CHECK(kc::diag::render_short(lint, sources) ==
        "c.kcl:1:20: warning[etcd-even-members]: an even number of etcd members\n");
}

TEST_CASE("short rendering and render() over a list") {
  ProdExample ex;
  Diagnostics list;
  list.add(ex.diagnostic());
  list.error(Code::E0504, Span{}, "the state is locked");
  CHECK(kc::diag::render(list, ex.sources, RenderOptions{Format::Short, false}) ==
        "clusters/prod.kcl:14:7: error[E0302]: unknown field `replica` in `NodePool`\n"
        "kc: error[E0504]: the state is locked\n");
  CHECK(kc::diag::render(list, ex.sources, RenderOptions{Format::Human, false}) ==
        kc::diag::render_human(list.all()[0], ex.sources, false) +
            kc::diag::render_human(list.all()[1], ex.sources, false));
  CHECK(kc::diag::render(Diagnostics{}, ex.sources, RenderOptions{Format::Short, false}).empty());
}

TEST_CASE("json rendering: keys, values and order") {
  ProdExample ex;
  Diagnostics list;
  Diagnostic d = ex.diagnostic();
  d.with_fix("write `replicas`", ex.span, "replicas");
  list.add(d);
  CHECK(kc::diag::render(list, ex.sources, RenderOptions{Format::Json, false}) ==
        R"([
  {
    "file": "clusters/prod.kcl",
    "line": 14,
    "column": 7,
    "end_line": 14,
    "end_column": 14,
    "severity": "error",
    "code": "E0302",
    "message": "unknown field `replica` in `NodePool`",
    "labels": [],
    "notes": [],
    "fixes": [
      {
        "message": "write `replicas`",
        "line": 14,
        "column": 7,
        "end_line": 14,
        "end_column": 14,
        "replacement": "replicas"
      }
    ]
  }
]
)");
  CHECK(kc::diag::render(Diagnostics{}, ex.sources, RenderOptions{Format::Json, false}) == "[]\n");
}

TEST_CASE("json rendering: multi-line spans, labels, notes and missing spans") {
  SourceManager sources;
  auto f = sources.add("m.kcl", "名 = foo(1,\n  2)\n");
  Diagnostics list;
  list.error(Code::E0301, Span{f, 6, 17}, "type mismatch")
      .with_secondary(Span{f, 0, 3}, "declared here")
      .with_secondary(Span{}, "somewhere")
      .with_note("a note");
  list.warning(Code::E0504, Span{}, "nowhere");
  auto json = nlohmann::ordered_json::parse(
      kc::diag::render(list, sources, RenderOptions{Format::Json, false}));
  REQUIRE(json.is_array());
  REQUIRE(json.size() == 2);

  const auto& first = json[0];
  std::vector<std::string> keys;
  for (const auto& item : first.items())
    keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"file", "line", "column", "end_line", "end_column",
                                         "severity", "code", "message", "labels", "notes",
                                         "fixes"});
  CHECK(first["line"] == 1);
  CHECK(first["column"] == 5);  // "名" is one code point
  CHECK(first["end_line"] == 2);
  CHECK(first["end_column"] == 5);
  CHECK(first["notes"] == nlohmann::ordered_json::array({"a note"}));
  REQUIRE(first["labels"].size() == 2);
  std::vector<std::string> label_keys;
  for (const auto& item : first["labels"][0].items())
    label_keys.push_back(item.key());
  CHECK(label_keys ==
        std::vector<std::string>{"line", "column", "end_line", "end_column", "message", "file"});
  CHECK(first["labels"][0]["end_column"] == 2);
  CHECK(first["labels"][0]["file"] == "m.kcl");
  CHECK(first["labels"][1]["file"].is_null());
  CHECK(first["labels"][1]["line"].is_null());

  const auto& second = json[1];
  CHECK(second["file"].is_null());
  CHECK(second["line"].is_null());
  CHECK(second["column"].is_null());
  CHECK(second["end_line"].is_null());
  CHECK(second["end_column"].is_null());
  CHECK(second["severity"] == "warning");
  CHECK(second["code"] == "E0504");
  CHECK(second["message"] == "nowhere");
}

TEST_CASE("parse_format") {
  Format format = Format::Human;
  CHECK(kc::diag::parse_format("json", format));
  CHECK(format == Format::Json);
  CHECK(kc::diag::parse_format("short", format));
  CHECK(format == Format::Short);
  CHECK(kc::diag::parse_format("human", format));
  CHECK(format == Format::Human);
  CHECK_FALSE(kc::diag::parse_format("sarif", format));
  CHECK_FALSE(kc::diag::parse_format("", format));
}
