// Unit tests of compiler/source: spans, the offset -> line/column mapping, display paths.
#include <doctest/doctest.h>

#include <filesystem>

#include "compiler/source/source.h"

using kc::source::count_code_points;
using kc::source::SourceFile;
using kc::source::SourceManager;
using kc::source::Span;

TEST_CASE("line_col counts lines from 1 and columns in code points") {
  // "é" is 2 bytes, "名" 3 bytes, "😀" 4 bytes.
  SourceFile file("a.kcl", "ab\né = 1\n名😀x\n");
  CHECK(file.line_col(0).line == 1);
  CHECK(file.line_col(0).column == 1);
  CHECK(file.line_col(1).column == 2);
  CHECK(file.line_col(2).line == 1);  // the '\n' ends line 1
  CHECK(file.line_col(2).column == 3);
  CHECK(file.line_col(3).line == 2);
  CHECK(file.line_col(3).column == 1);
  CHECK(file.line_col(5).column == 2);  // after "é"
  CHECK(file.line_col(6).column == 3);  // after "é "
  // Line 3 starts at byte 10: "名" (3 bytes), "😀" (4 bytes), then "x" at byte 17.
  CHECK(file.line_col(10).line == 3);
  CHECK(file.line_col(13).column == 2);
  CHECK(file.line_col(17).column == 3);
  // The end of a file ending in '\n' is the start of a final empty line.
  CHECK(file.line_col(19).line == 4);
  CHECK(file.line_col(19).column == 1);
  CHECK(file.line_count() == 4);
  // Offsets past the end clamp to the end.
  CHECK(file.line_col(1000).line == 4);
}

TEST_CASE("line_text strips \\n and \\r\\n terminators") {
  SourceFile file("w.kcl", "one\r\ntwo\nthree");
  CHECK(file.line_count() == 3);
  CHECK(file.line_text(1) == "one");
  CHECK(file.line_text(2) == "two");
  CHECK(file.line_text(3) == "three");
  CHECK(file.line_text(0).empty());
  CHECK(file.line_text(4).empty());
  // After "\r\n" a new line starts; the column before '\r' is 4.
  CHECK(file.line_col(3).line == 1);
  CHECK(file.line_col(3).column == 4);
  CHECK(file.line_col(5).line == 2);
  CHECK(file.line_col(5).column == 1);
  CHECK(file.line_col(12).line == 3);
  CHECK(file.line_col(12).column == 4);
}

TEST_CASE("a lone \\r is part of the line text, and empty files have one line") {
  SourceFile lone("r.kcl", "a\rb\n");
  CHECK(lone.line_text(1) == "a\rb");
  SourceFile empty("e.kcl", "");
  CHECK(empty.line_count() == 1);
  CHECK(empty.line_text(1).empty());
  CHECK(empty.line_col(0).line == 1);
  CHECK(empty.line_col(0).column == 1);
}

TEST_CASE("count_code_points counts invalid bytes one each") {
  CHECK(count_code_points("") == 0);
  CHECK(count_code_points("abc") == 3);
  CHECK(count_code_points("héllo") == 5);
  CHECK(count_code_points("名前") == 2);
  CHECK(count_code_points("😀!") == 2);
  CHECK(count_code_points("\xff") == 1);           // not a lead byte
  CHECK(count_code_points("\x80\x80") == 2);       // stray continuation bytes
  CHECK(count_code_points("\xe5\x90") == 2);       // truncated 3-byte sequence
  CHECK(count_code_points("\xc0\xafz") == 3);      // overlong encoding of '/'
  CHECK(count_code_points("a\xe5\x90\x8d") == 2);  // "a名"
}

TEST_CASE("SourceManager hands out ids and slices spans") {
  SourceManager sources;
  auto a = sources.add("a.kcl", "let x = 1\n");
  auto b = sources.add("b.kcl", "名 = 2\n");
  CHECK(a == 0);
  CHECK(b == 1);
  CHECK(sources.size() == 2);
  CHECK(sources.file(b).path() == "b.kcl");
  CHECK(sources.text(Span{a, 4, 5}) == "x");
  CHECK(sources.text(Span{b, 0, 3}) == "名");
  CHECK(sources.text(Span{}).empty());
  CHECK(sources.text(Span{a, 8, 100}) == "1\n");  // clamped to the file
}

TEST_CASE("Span::cover and validity") {
  Span a{3, 10, 12};
  Span b{3, 4, 6};
  CHECK(Span::cover(a, b) == Span{3, 4, 12});
  CHECK(Span::cover(b, a) == Span{3, 4, 12});
  CHECK(Span::cover(Span{}, a) == a);
  CHECK(Span::cover(a, Span{}) == a);
  CHECK_FALSE(Span{}.valid());
  CHECK(a.valid());
  CHECK(a.size() == 2);
}

TEST_CASE("display_path is relative to the current directory when below it") {
  namespace fs = std::filesystem;
  fs::path cwd = fs::current_path();
  CHECK(kc::source::display_path((cwd / "clusters" / "prod.kcl").string()) == "clusters/prod.kcl");
  CHECK(kc::source::display_path("clusters/prod.kcl") == "clusters/prod.kcl");
  CHECK(kc::source::display_path("./clusters/../prod.kcl") == "prod.kcl");
  if (cwd.has_parent_path() && cwd.parent_path() != cwd) {
    std::string outside = (cwd.parent_path() / "elsewhere.kcl").string();
    CHECK(kc::source::display_path(outside) == outside);
    CHECK(kc::source::display_path("../elsewhere.kcl") == "../elsewhere.kcl");
  }
}
