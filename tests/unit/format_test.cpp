// Unit tests of kc fmt (compiler/format): the line diff and its unified rendering, the trailing
// comment column rule, and the engine on small inputs (layout, comments, idempotence, safety net).
#include <doctest/doctest.h>

#include <string>

#include "compiler/format/diff.h"
#include "compiler/format/format.h"
#include "compiler/format/layout.h"
#include "compiler/syntax/parse.h"

namespace {

using namespace kc;

// Applies an edit script to `before`, checking it walks both sides in order.
std::vector<std::string_view> apply(const std::vector<std::string_view>& before,
                                    const std::vector<std::string_view>& after,
                                    const std::vector<format::Edit>& edits) {
  std::vector<std::string_view> out;
  size_t b = 0;
  size_t a = 0;
  for (const format::Edit& edit : edits) {
    switch (edit.kind) {
      case format::Edit::Kind::Keep:
        CHECK(edit.before == b++);
        CHECK(edit.after == a++);
        out.push_back(before[edit.before]);
        break;
      case format::Edit::Kind::Delete:
        CHECK(edit.before == b++);
        break;
      case format::Edit::Kind::Insert:
        CHECK(edit.after == a++);
        out.push_back(after[edit.after]);
        break;
    }
  }
  CHECK(b == before.size());
  CHECK(a == after.size());
  return out;
}

size_t changes(const std::vector<format::Edit>& edits) {
  size_t n = 0;
  for (const format::Edit& edit : edits)
    n += edit.kind != format::Edit::Kind::Keep;
  return n;
}

// Formats `text` through the checked entry point; the result's text, or "<failed>".
std::string fmt(std::string text) {
  source::SourceManager sources;
  source::FileId id = sources.add("t.kcl", std::move(text));
  format::FormatResult result = format::format_file(sources, id);
  return result.ok ? result.text : "<failed>";
}

}  // namespace

TEST_CASE("split_lines keeps line ends and a last line without one") {
  auto lines = format::split_lines("a\nb\n\nc");
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "a\n");
  CHECK(lines[2] == "\n");
  CHECK(lines[3] == "c");
  CHECK(format::split_lines("").empty());
}

TEST_CASE("diff_lines finds a shortest edit script") {
  std::vector<std::string_view> before{"a", "b", "c", "a", "b", "b", "a"};
  std::vector<std::string_view> after{"c", "b", "a", "b", "a", "c"};
  auto edits = format::diff_lines(before, after);
  CHECK(apply(before, after, edits) == after);
  CHECK(changes(edits) == 5);  // the classic example of Myers' paper: D = 5

  std::vector<std::string_view> same{"x", "y"};
  CHECK(changes(format::diff_lines(same, same)) == 0);
  std::vector<std::string_view> none;
  CHECK(changes(format::diff_lines(none, same)) == 2);
  CHECK(changes(format::diff_lines(same, none)) == 2);
}

TEST_CASE("diff_lines on larger inputs stays correct") {
  std::vector<std::string> storage_a;
  std::vector<std::string> storage_b;
  for (int i = 0; i < 300; ++i) {
    storage_a.push_back("line " + std::to_string(i));
    if (i % 7 != 0) storage_b.push_back("line " + std::to_string(i));
    if (i % 11 == 0) storage_b.push_back("new " + std::to_string(i));
  }
  std::vector<std::string_view> a(storage_a.begin(), storage_a.end());
  std::vector<std::string_view> b(storage_b.begin(), storage_b.end());
  auto edits = format::diff_lines(a, b);
  CHECK(apply(a, b, edits) == b);
  CHECK(changes(edits) == 43 + 28);  // 43 multiples of 7 deleted, 28 multiples of 11 inserted
}

TEST_CASE("unified_diff prints hunks with three lines of context") {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n";
  std::string after = "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n18\n19\n20\n";
  CHECK(format::unified_diff(before, after, "a/x.kcl", "b/x.kcl") ==
        "--- a/x.kcl\n+++ b/x.kcl\n"
        "@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n"
        "@@ -14,7 +14,6 @@\n 14\n 15\n 16\n-17\n 18\n 19\n 20\n");
  // Changes at most six lines apart share a hunk.
  std::string near =
      "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\neleven\n12\n13\n14\n15\n16\n17\n18\n19\n20\n";
  CHECK(format::unified_diff(before, near, "a", "b") ==
        "--- a\n+++ b\n@@ -1,14 +1,14 @@\n 1\n 2\n 3\n-4\n+four\n 5\n 6\n 7\n 8\n 9\n 10\n"
        "-11\n+eleven\n 12\n 13\n 14\n");
  CHECK(format::unified_diff(before, before, "a", "b").empty());
}

TEST_CASE("unified_diff marks a missing final newline and empty sides") {
  CHECK(format::unified_diff("x = 1", "x = 1\n", "a", "b") ==
        "--- a\n+++ b\n@@ -1 +1 @@\n-x = 1\n\\ No newline at end of file\n+x = 1\n");
  CHECK(format::unified_diff("", "a\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1 @@\n+a\n");
  CHECK(format::unified_diff("a\nb\n", "", "a", "b") == "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b\n");
}

TEST_CASE("a trailing comment keeps its column only when two past the code") {
  CHECK(format::trailing_comment_column(10, 12) == 12);
  CHECK(format::trailing_comment_column(10, 30) == 30);
  CHECK(format::trailing_comment_column(10, 11) == 12);
  CHECK(format::trailing_comment_column(10, 3) == 12);
}

TEST_CASE("the sample of LANGUAGE.md section 10 is a fixed point") {
  std::string sample = R"(## Production cluster in three zones.
import "std/net"

param environment: string = "prod"
param workers: int(1..500) = 6

let zones = ["a", "b", "c"]
let base = 10.0.0.0/16

enum Tier { app, infra }

fn zone_subnet(i: int) -> cidr = net.subnet(base, 8, i)

prod = Cluster {
  provider   = sim
  region     = "eu-west-1"
  zones      = zones
  kubernetes = v1.29.4

  network {
    plugin       = calico
    node_cidr    = base
    pod_cidr     = 10.233.64.0/18
    service_cidr = 10.233.0.0/18
  }
  etcd { members = 3 }
  control_plane {
    replicas = 3
    machine  = { cpu = 4, memory = 16Gi }
  }
  for t in [Tier.app, Tier.infra] {
    node_pool "${t}" {
      replicas = if t == app then workers else 3
      machine  = { cpu = 8, memory = 32Gi, disk = 200Gi }
      labels   = { "tier" = "${t}", "env" = environment }
      upgrade  { max_surge = 1, max_unavailable = 0, drain_timeout = 10m }
    }
  }
  addon coredns {}
  addon metrics_server { version = v0.7.1 }
}

subnets = [for i in range(len(zones)): zone_subnet(i)]   # exports 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24
output kubeconfig = prod.kubeconfig_path
)";
  CHECK(fmt(sample) == sample);
}

TEST_CASE("spacing is normalized and literals are kept as written") {
  CHECK(fmt("x=1_000+2*( 3-0x1f )\n") == "x = 1_000 + 2 * (3 - 0x1f)\n");
  CHECK(fmt("let  t :[ string ] =[ \"a\" ,\"b\" ]") == "let t: [string] = [\"a\", \"b\"]\n");
  CHECK(fmt("y = {a=1,b=2}\nz = {}\n") == "y = { a = 1, b = 2 }\nz = {}\n");
  CHECK(fmt("m = {for k,v in src : k=>v}\n") == "m = {for k, v in src: k => v}\n");
  CHECK(fmt("d = 1h30m\ns = 16Gi\n") == "d = 1h30m\ns = 16Gi\n");
}

TEST_CASE("multi-line bodies align runs of field assignments") {
  CHECK(fmt("c = C {\n  a = 1\n  long_name = 2\n  b { x = 1 }\n\n  c = 3\n  dd = 4\n}\n") ==
        "c = C {\n  a         = 1\n  long_name = 2\n  b         { x = 1 }\n\n  c  = 3\n  dd = "
        "4\n}\n");
  // A labelled block ends a run.
  CHECK(fmt("c = C {\n  a = 1\n  pool x {}\n  bbb = 2\n}\n") ==
        "c = C {\n  a = 1\n  pool x {}\n  bbb = 2\n}\n");
}

TEST_CASE("comments stay, in order, at their lines") {
  CHECK(fmt("# head\n\n\n\nx = 1 # why\n## doc\ny = 2\n# tail\n") ==
        "# head\n\nx = 1  # why\n## doc\ny = 2\n# tail\n");
  CHECK(fmt("l = [\n  1, # one\n  # before two\n  2\n]\n") ==
        "l = [\n  1,  # one\n  # before two\n  2,\n]\n");
}

TEST_CASE("formatting is idempotent on untidy input") {
  std::string untidy =
      "schema S{a:int=1\n  b:[string]?  # opt\n  check{a>0:\"pos\"}}\n"
      "x=f(1,\n2)\ny = a ||\n b\n";
  std::string once = fmt(untidy);
  REQUIRE(once != "<failed>");
  CHECK(fmt(once) == once);
}

TEST_CASE("a file with syntax errors is not formatted") {
  source::SourceManager sources;
  source::FileId id = sources.add("bad.kcl", "x = [1, 2\n");
  format::FormatResult result = format::format_file(sources, id);
  CHECK_FALSE(result.ok);
  CHECK(result.diagnostics.has_errors());
  CHECK(result.text.empty());
}

TEST_CASE("a ## comment moved out of a declaration does not become a doc") {
  // Inside `param ... workers` the comment documents nothing; placed above `count` it would.
  CHECK(fmt("param\n## stray\nworkers: int = 3\n## doc of count\ncount = 1\n") ==
        "param workers: int = 3\n## stray\n\n## doc of count\ncount = 1\n");
  // Doc lines followed by a blank line are not docs either, and stay together.
  CHECK(fmt("## a\n## b\n\nx = 1\n") == "## a\n## b\n\nx = 1\n");
}

TEST_CASE("text layout: empty files, line endings, multi-line strings") {
  CHECK(fmt("") == "");
  CHECK(fmt("\n\n# only a comment   \n\n") == "# only a comment\n");
  CHECK(fmt("a = 1\r\nb = {\r\n  c = 2 # x\r\n}\r\n") == "a = 1\nb = {\n  c = 2  # x\n}\n");
  // The lines of a triple-quoted string are its value: re-indenting the body leaves them alone.
  CHECK(fmt("x = {\n    s = \"\"\"\n        text\n      \"\"\"\n}\n") ==
        "x = {\n  s = \"\"\"\n        text\n      \"\"\"\n}\n");
}

TEST_CASE("format() and format_file() agree") {
  source::SourceManager sources;
  std::string text = "x={a=1}\n";
  source::FileId id = sources.add("t.kcl", text);
  syntax::ParseResult parsed = syntax::parse(sources, id);
  REQUIRE_FALSE(parsed.diagnostics.has_errors());
  CHECK(format::format(parsed.file, text) == "x = { a = 1 }\n");
  format::FormatResult result = format::format_file(sources, id);
  CHECK(result.ok);
  CHECK(result.changed);
  CHECK(result.text == "x = { a = 1 }\n");
  source::FileId canonical = sources.add("u.kcl", "x = 1\n");
  CHECK_FALSE(format::format_file(sources, canonical).changed);
}
