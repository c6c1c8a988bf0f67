// Unit tests of the hand-written lexer (compiler/syntax/lexer.h) and the string decoders it feeds
// (literals.h): token kinds and spans, literal shapes and their diagnostics, interpolation,
// comments, line bookkeeping, and robustness on arbitrary bytes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "compiler/syntax/lexer.h"
#include "compiler/syntax/literals.h"

namespace {

using namespace kc;
using syntax::Token;
using syntax::TokenKind;

std::string_view kind_name(TokenKind kind) {
  static constexpr std::string_view kNames[] = {
#define KC_TOKEN(name, text) #name,
#include "compiler/syntax/token_kinds.def"
#undef KC_TOKEN
  };
  return kNames[static_cast<size_t>(kind)];
}

struct Lexed {
  std::string text;
  diag::Diagnostics diags;
  syntax::LexResult result;

  const std::vector<Token>& tokens() const { return result.tokens; }
  std::string_view text_of(const Token& t) const {
    return std::string_view(text).substr(t.begin, t.end - t.begin);
  }
  std::string_view text_of(source::Span s) const {
    return std::string_view(text).substr(s.begin, s.end - s.begin);
  }
  // Kind names, END left out: "IDENT ASSIGN INT".
  std::string kinds() const {
    std::string out;
    for (const Token& t : result.tokens) {
      if (t.kind == TokenKind::END) break;
      if (!out.empty()) out += ' ';
      out += kind_name(t.kind);
    }
    return out;
  }
  // Token texts joined by '|', END left out: "x|=|1".
  std::string texts() const {
    std::string out;
    for (const Token& t : result.tokens) {
      if (t.kind == TokenKind::END) break;
      if (!out.empty()) out += '|';
      out += text_of(t);
    }
    return out;
  }
  const std::vector<diag::Diagnostic>& diags_list() const { return diags.all(); }
};

std::unique_ptr<Lexed> lex(std::string text) {
  auto l = std::make_unique<Lexed>();
  l->text = std::move(text);
  l->result = syntax::lex(l->text, 7, l->diags);
  return l;
}

// The one token of `text` (a literal alone), checked to cover the whole text.
TokenKind single(const std::string& text) {
  auto l = lex(text);
  REQUIRE(l->tokens().size() == 2);
  CHECK(l->tokens()[0].begin == 0);
  CHECK(l->tokens()[0].end == text.size());
  return l->tokens()[0].kind;
}

// The message of the single diagnostic `text` produces, which must be on one BAD_LITERAL token
// covering the whole text.
std::string bad_literal(const std::string& text, std::string* fix = nullptr) {
  auto l = lex(text);
  REQUIRE(l->tokens().size() == 2);
  const Token& t = l->tokens()[0];
  CHECK(t.kind == TokenKind::BAD_LITERAL);
  CHECK(t.reported);
  CHECK(t.begin == 0);
  CHECK(t.end == text.size());
  REQUIRE(l->diags_list().size() == 1);
  const diag::Diagnostic& d = l->diags_list()[0];
  CHECK(d.code == diag::Code::E0103);
  CHECK(d.span.file == 7);
  CHECK(d.span.begin == 0);
  CHECK(d.span.end == text.size());
  if (fix != nullptr) *fix = d.fixes.empty() ? "" : d.fixes[0].replacement;
  return d.message;
}

// A cheap REQUIRE for the hot loops of the robustness tests; names the input when it fails.
#define ENSURE(cond)                                                      \
  do {                                                                    \
    if (!(cond)) FAIL(#cond << " for input " << doctest::toString(text)); \
  } while (false)

// Checks what must hold for any input: spans in range and ordered, one END at the end, lines and
// line starts right, first_on_line consistent, interpolations balanced, comments in range.
void check_invariants(const std::string& text, const syntax::LexResult& r) {
  const auto n = static_cast<uint32_t>(text.size());
  ENSURE(!r.tokens.empty());
  const Token& end = r.tokens.back();
  ENSURE(end.kind == TokenKind::END);
  ENSURE(end.begin == n);
  ENSURE(end.end == n);
  std::vector<uint32_t> line_starts{0};
  for (uint32_t i = 0; i < n; ++i) {
    if (text[i] == '\n') line_starts.push_back(i + 1);
  }
  auto line_of = [&](uint32_t offset) {
    return static_cast<uint32_t>(std::upper_bound(line_starts.begin(), line_starts.end(), offset) -
                                 line_starts.begin());
  };
  uint32_t previous_end = 0;
  uint32_t previous_end_line = 0;
  int depth = 0;
  for (size_t i = 0; i < r.tokens.size(); ++i) {
    const Token& t = r.tokens[i];
    ENSURE(t.begin <= t.end);
    ENSURE(t.end <= n);
    ENSURE(t.begin >= previous_end);
    ENSURE((t.kind == TokenKind::END) == (i + 1 == r.tokens.size()));
    ENSURE(t.line == line_of(t.begin));
    ENSURE(t.line_begin == line_starts[t.line - 1]);
    ENSURE(t.first_on_line == (t.line > previous_end_line));
    if (t.kind == TokenKind::STRING_OPEN) ++depth;
    if (t.kind == TokenKind::STRING_MIDDLE) ENSURE(depth > 0);
    if (t.kind == TokenKind::STRING_CLOSE) ENSURE(depth-- > 0);
    if (t.begin == t.end && t.kind != TokenKind::END) {
      ENSURE(t.kind == TokenKind::STRING_CLOSE);  // only the closes of cut-off strings are empty
      ENSURE(t.reported);
    }
    previous_end = t.end;
    previous_end_line = line_of(t.end);
  }
  ENSURE(depth == 0);
  uint32_t previous_comment = 0;
  for (const ast::Comment& c : r.comments) {
    ENSURE(c.span.begin >= previous_comment);
    ENSURE(c.span.begin < c.span.end);
    ENSURE(c.span.end <= n);
    ENSURE(text[c.span.begin] == '#');
    previous_comment = c.span.end;
  }
}

// Decodes every string of a token list the way the parser will, so the decoders see whatever
// the lexer produces.
void decode_all(const std::string& text, const std::vector<Token>& tokens) {
  struct Open {
    bool triple;
    std::vector<std::string_view> parts;
  };
  std::vector<Open> open;
  for (const Token& t : tokens) {
    std::string_view token_text = std::string_view(text).substr(t.begin, t.end - t.begin);
    switch (t.kind) {
      case TokenKind::STRING: {
        syntax::StringTokenText s = syntax::string_token_text(t.kind, token_text);
        syntax::decode_string(token_text, s.terminated);
        auto parts = syntax::decode_string_parts({s.raw}, s.triple, s.terminated);
        ENSURE(parts.size() == 1);
        break;
      }
      case TokenKind::STRING_OPEN: {
        syntax::StringTokenText s = syntax::string_token_text(t.kind, token_text);
        open.push_back({s.triple, {s.raw}});
        break;
      }
      case TokenKind::STRING_MIDDLE:
        ENSURE(!open.empty());
        open.back().parts.push_back(
            syntax::string_token_text(t.kind, token_text, open.back().triple).raw);
        break;
      case TokenKind::STRING_CLOSE: {
        ENSURE(!open.empty());
        syntax::StringTokenText s =
            syntax::string_token_text(t.kind, token_text, open.back().triple);
        open.back().parts.push_back(s.raw);
        auto parts = syntax::decode_string_parts(open.back().parts, s.triple, s.terminated);
        ENSURE(parts.size() == open.back().parts.size());
        open.pop_back();
        break;
      }
      default:
        break;
    }
  }
}

void check_any(const std::string& text) {
  diag::Diagnostics diags;
  syntax::LexResult r = syntax::lex(text, 0, diags);
  check_invariants(text, r);
  decode_all(text, r.tokens);
  for (const diag::Diagnostic& d : diags.all()) {
    ENSURE(d.span.end <= text.size());
    ENSURE(d.span.begin <= d.span.end);
  }
}

}  // namespace

TEST_SUITE("lexer") {
  TEST_CASE("keywords, with and names") {
    auto l = lex(
        "import as let param type enum schema extends fn resource provider backend output check "
        "for in if then else true false null self with");
    CHECK(l->kinds() ==
          "IMPORT AS LET PARAM TYPE ENUM SCHEMA EXTENDS FN RESOURCE PROVIDER BACKEND OUTPUT CHECK "
          "FOR IN IF THEN ELSE TRUE_KW FALSE_KW NULL_KW SELF WITH");
    auto names = lex("x _a1 selfish iff imports Type v1 v1x v12_3 withx _ V1");
    CHECK(names->kinds() ==
          "IDENT IDENT IDENT IDENT IDENT IDENT IDENT IDENT IDENT IDENT IDENT IDENT");
    CHECK(names->texts() == "x|_a1|selfish|iff|imports|Type|v1|v1x|v12_3|withx|_|V1");
    CHECK(names->diags.empty());
  }

  TEST_CASE("punctuation and operators") {
    auto l = lex("{ } [ ] ( ) , . .. : = ? ?? -> => @ + - * / % ! == != < <= > >= && ||");
    CHECK(l->kinds() ==
          "LBRACE RBRACE LBRACK RBRACK LPAREN RPAREN COMMA DOT RANGE COLON ASSIGN QUESTION "
          "COALESCE ARROW FAT_ARROW AT PLUS MINUS STAR SLASH PERCENT_SIGN BANG EQ NE LT LE GT GE "
          "AND OR");
    CHECK(l->diags.empty());
    auto glued = lex("a=>b->c..d!==e<=f>=g&&h||i???j");
    CHECK(glued->kinds() ==
          "IDENT FAT_ARROW IDENT ARROW IDENT RANGE IDENT NE ASSIGN IDENT LE IDENT GE IDENT AND "
          "IDENT OR IDENT COALESCE QUESTION IDENT");
    // Spans of two-character operators.
    auto spans = lex("a ?? b");
    CHECK(spans->tokens()[1].begin == 2);
    CHECK(spans->tokens()[1].end == 4);
  }

  TEST_CASE("spelling") {
    CHECK(syntax::spelling(TokenKind::LBRACE) == "`{`");
    CHECK(syntax::spelling(TokenKind::IMPORT) == "`import`");
    CHECK(syntax::spelling(TokenKind::STRING) == "a string");
    CHECK(syntax::spelling(TokenKind::IDENT) == "a name");
    CHECK(syntax::spelling(TokenKind::END) == "the end of the file");
  }

  TEST_CASE("literal forms") {
    CHECK(single("42") == TokenKind::INT);
    CHECK(single("1_000") == TokenKind::INT);
    CHECK(single("0x1f") == TokenKind::INT);
    CHECK(single("0XFF_FF") == TokenKind::INT);
    CHECK(single("9223372036854775807") == TokenKind::INT);
    CHECK(single("0.5") == TokenKind::FLOAT);
    CHECK(single("2.5e3") == TokenKind::FLOAT);
    CHECK(single("1e-3") == TokenKind::FLOAT);
    CHECK(single("1e5") == TokenKind::FLOAT);
    CHECK(single("1E+5") == TokenKind::FLOAT);
    CHECK(single("1_000.5") == TokenKind::FLOAT);
    for (const char* d : {"250ms", "30s", "10m", "1h30m", "2d", "1d2h3m4s5ms", "1_000ms"}) {
      CAPTURE(d);
      CHECK(single(d) == TokenKind::DURATION);
    }
    for (const char* s :
         {"512Mi", "16Gi", "100G", "1Ti", "64k", "1M", "2T", "3P", "4E", "1Ki", "5Pi", "1Ei"}) {
      CAPTURE(s);
      CHECK(single(s) == TokenKind::SIZE);
    }
    CHECK(single("40%") == TokenKind::PERCENT);
    CHECK(single("12.5%") == TokenKind::PERCENT);
    CHECK(single("v1.29.4") == TokenKind::VERSION);
    CHECK(single("v1.30.0-rc.1") == TokenKind::VERSION);
    CHECK(single("v1.30.0-rc.1+build.5") == TokenKind::VERSION);
    CHECK(single("v1.2.3+exp") == TokenKind::VERSION);
    CHECK(single("10.0.0.1") == TokenKind::IPV4);
    CHECK(single("255.255.255.255") == TokenKind::IPV4);
    CHECK(single("10.233.64.0/18") == TokenKind::CIDR);
    CHECK(single("0.0.0.0/0") == TokenKind::CIDR);
    CHECK(single("\"a\"") == TokenKind::STRING);
  }

  TEST_CASE("tricky neighbours") {
    struct Case {
      const char* text;
      const char* kinds;
      const char* texts;
    };
    const Case cases[] = {
        {"1..65535", "INT RANGE INT", "1|..|65535"},
        {"1.5..2.5", "FLOAT RANGE FLOAT", "1.5|..|2.5"},
        {"1Gi..", "SIZE RANGE", "1Gi|.."},
        {"..50%", "RANGE PERCENT", "..|50%"},
        {"v1.27.0..v1.31.99", "VERSION RANGE VERSION", "v1.27.0|..|v1.31.99"},
        {"10.0.0.1..10.0.0.9", "IPV4 RANGE IPV4", "10.0.0.1|..|10.0.0.9"},
        {"a.b", "IDENT DOT IDENT", "a|.|b"},
        {"x.0", "IDENT DOT INT", "x|.|0"},
        {"1.e5", "INT DOT IDENT", "1|.|e5"},
        {"1.5.foo", "FLOAT DOT IDENT", "1.5|.|foo"},
        {"v1.29.4.major", "VERSION DOT IDENT", "v1.29.4|.|major"},
        {"v1.2.3 - x", "VERSION MINUS IDENT", "v1.2.3|-|x"},
        {"v1.2.3-", "VERSION MINUS", "v1.2.3|-"},
        {"10%", "PERCENT", "10%"},
        {"10 % 3", "INT PERCENT_SIGN INT", "10|%|3"},
        {"10%3", "INT PERCENT_SIGN INT", "10|%|3"},
        {"10%x", "INT PERCENT_SIGN IDENT", "10|%|x"},
        {"10%(a)", "INT PERCENT_SIGN LPAREN IDENT RPAREN", "10|%|(|a|)"},
        {"10% 3", "PERCENT INT", "10%|3"},
        {"(50%)", "LPAREN PERCENT RPAREN", "(|50%|)"},
        {"[10%, 20%]", "LBRACK PERCENT COMMA PERCENT RBRACK", "[|10%|,|20%|]"},
        {"a % b", "IDENT PERCENT_SIGN IDENT", "a|%|b"},
        {"a%2", "IDENT PERCENT_SIGN INT", "a|%|2"},
        {"0x10%", "INT PERCENT_SIGN", "0x10|%"},
        {"5-3", "INT MINUS INT", "5|-|3"},
        {"5+3", "INT PLUS INT", "5|+|3"},
        {"1e5-3", "FLOAT MINUS INT", "1e5|-|3"},
        {"2d-1h", "DURATION MINUS DURATION", "2d|-|1h"},
        {"-1", "MINUS INT", "-|1"},
        {"10.0.0.1 / 2", "IPV4 SLASH INT", "10.0.0.1|/|2"},
        {"10.0.0.1/ 2", "IPV4 SLASH INT", "10.0.0.1|/|2"},
        {"1.5/2", "FLOAT SLASH INT", "1.5|/|2"},
        {"10/2", "INT SLASH INT", "10|/|2"},
        {"f(1,2)", "IDENT LPAREN INT COMMA INT RPAREN", "f|(|1|,|2|)"},
        {"v1", "IDENT", "v1"},
        {"v", "IDENT", "v"},
        {"1E", "SIZE", "1E"},
        {"1E + 5", "SIZE PLUS INT", "1E|+|5"},
        {"x=1", "IDENT ASSIGN INT", "x|=|1"},
        {"5\"s\"", "INT STRING", "5|\"s\""},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      auto l = lex(c.text);
      CHECK(l->kinds() == c.kinds);
      CHECK(l->texts() == c.texts);
      CHECK(l->diags.empty());
    }
  }

  TEST_CASE("bad literals say what is wrong and how to write it") {
    std::string fix;
    CHECK(bad_literal("16GB", &fix) ==
          "unknown size unit `GB` in `16GB`: write `16G` (10^9 bytes) or `16Gi` (2^30 bytes)");
    CHECK(fix.empty());
    CHECK(bad_literal("5mins", &fix) == "unknown duration unit `mins` in `5mins`: write `5m`");
    CHECK(fix == "5m");
    CHECK(bad_literal("v1.29", &fix) == "a version needs three numbers: write `v1.29.0`");
    CHECK(fix == "v1.29.0");
    CHECK(bad_literal("300.1.2.3/40") ==
          "`300` is not an IPv4 octet (0 to 255); prefix length 40 is longer than 32");
    CHECK(bad_literal("10.0.0.1/40") == "prefix length 40 is longer than 32");
    CHECK(bad_literal("256.0.0.1") == "`256` is not an IPv4 octet (0 to 255)");
    CHECK(bad_literal("1.2.3") ==
          "`1.2.3` is not an IPv4 address: write four numbers from 0 to 255 separated by dots, "
          "such as `10.0.0.1`");
    CHECK(bad_literal("1.2.3.4.5").starts_with("`1.2.3.4.5` is not an IPv4 address"));
    CHECK(bad_literal("1.2.3/8").find("is not an IPv4 address") != std::string::npos);
    CHECK(bad_literal("0x1g") ==
          "`0x1g` is not a hexadecimal integer: write `0x` followed by the digits 0-9 and a-f, "
          "such as `0x1f`");
    CHECK(bad_literal("0x").starts_with("`0x` is not a hexadecimal integer"));
    CHECK(bad_literal("1_") ==
          "misplaced `_` in `1_`: underscores go between digits, as in `1_000`");
    CHECK(bad_literal("1__000").starts_with("misplaced `_` in `1__000`"));
    CHECK(bad_literal("1_.5").starts_with("misplaced `_` in `1_.5`"));
    CHECK(bad_literal("99999999999999999999") ==
          "the integer `99999999999999999999` does not fit in 64 bits (the largest int is "
          "9223372036854775807)");
    CHECK(bad_literal("9223372036854775808").starts_with("the integer"));
    CHECK(bad_literal("0xffffffffffffffffff").starts_with("the integer `0xffffffffffffffffff`"));
    CHECK(bad_literal("1e999") == "the number `1e999` is out of the range of a float");
    CHECK(bad_literal("1m1h", &fix) ==
          "the units of a duration go from largest to smallest, each at most once: write `1h1m` "
          "for `1m1h`");
    CHECK(fix == "1h1m");
    CHECK(bad_literal("1h1h").starts_with("the units of a duration go from largest to smallest"));
    CHECK(bad_literal("1.5h", &fix) ==
          "a duration is written in whole units: write `1h30m` for `1.5h`");
    CHECK(fix == "1h30m");
    CHECK(bad_literal("1.5Gi").starts_with("a data size is a whole number of its unit"));
    CHECK(bad_literal("2KiB", &fix) == "unknown size unit `KiB` in `2KiB`: write `2Ki`");
    CHECK(fix == "2Ki");
    CHECK(bad_literal("1K") ==
          "unknown size unit `K` in `1K`: write `1k` (10^3 bytes) or `1Ki` (2^10 bytes)");
    CHECK(bad_literal("12abc").starts_with("`12abc` is not a number"));
    CHECK(bad_literal("1h30").starts_with("a duration needs a unit"));
    CHECK(bad_literal("v1.2.3.4").starts_with("a version has exactly three numbers"));
    CHECK(bad_literal("v1.2.3x").starts_with("`v1.2.3x` is not a version"));
    CHECK(bad_literal("v01.2.3", &fix) == "version numbers have no leading zeros: write `v1.2.3`");
    CHECK(fix == "v1.2.3");
    CHECK(bad_literal("v1.2-rc", &fix) == "a version needs three numbers: write `v1.2.0-rc`");
    CHECK(bad_literal("010.0.0.1").starts_with("IPv4 octets have no leading zeros"));
    CHECK(bad_literal("1_000%").find("is not a percent") != std::string::npos);
    CHECK(bad_literal("99999999999Ei").starts_with("the data size `99999999999Ei` is too large"));
  }

  TEST_CASE("a bad literal in context is one token and the rest lexes normally") {
    auto l = lex("memory = 16GB, next = 1");
    CHECK(l->kinds() == "IDENT ASSIGN BAD_LITERAL COMMA IDENT ASSIGN INT");
    CHECK(l->texts() == "memory|=|16GB|,|next|=|1");
    CHECK(l->diags_list().size() == 1);
    CHECK(!l->tokens()[3].reported);
  }

  TEST_CASE("strings and escapes") {
    auto l = lex(R"(a = "x\n\t\r\"\\\$\u{1F600}y" "" "${")");
    // The last `"` opens a string inside the interpolation; the end of the file cuts off both.
    CHECK(l->kinds() == "IDENT ASSIGN STRING STRING STRING_OPEN STRING STRING_CLOSE");
    CHECK(l->diags_list().size() == 1);
    CHECK(l->diags_list()[0].code == diag::Code::E0102);
    CHECK(!l->tokens()[2].reported);
    CHECK(syntax::decode_string(l->text_of(l->tokens()[2]), true).value ==
          "x\n\t\r\"\\$\xF0\x9F\x98\x80y");

    auto plain = lex(R"("\${x}" "$x" "a$")");
    CHECK(plain->kinds() == "STRING STRING STRING");
    CHECK(plain->diags.empty());
  }

  TEST_CASE("bad escapes are reported on the escape and the string stays a string") {
    auto l = lex(R"(x = "a\qb" + "\u{110000}" + "\u{zz}c" + "\u12")");
    CHECK(l->kinds() == "IDENT ASSIGN STRING PLUS STRING PLUS STRING PLUS STRING");
    REQUIRE(l->diags_list().size() == 4);
    const auto& d = l->diags_list();
    CHECK(d[0].code == diag::Code::E0103);
    CHECK(l->text_of(d[0].span) == "\\q");
    CHECK(d[0].message ==
          "unknown escape `\\q` (escapes are \\n \\t \\r \\\" \\\\ \\$ and \\u{...})");
    REQUIRE(d[0].fixes.size() == 1);
    CHECK(d[0].fixes[0].replacement == "\\\\q");
    CHECK(l->text_of(d[1].span) == "\\u{110000}");
    CHECK(d[1].message.starts_with("invalid unicode escape"));
    CHECK(l->text_of(d[2].span) == "\\u{zz}");
    CHECK(l->text_of(d[3].span) == "\\u");
    CHECK(l->tokens()[2].reported);
    CHECK(l->tokens()[4].reported);
    CHECK(!l->tokens()[3].reported);

    // An escape of an invalid byte keeps the message valid UTF-8.
    auto bytes = lex("\"\\\xff\"");
    REQUIRE(bytes->diags_list().size() == 1);
    CHECK(bytes->diags_list()[0].message.find("0xFF") != std::string::npos);
    CHECK(bytes->diags_list()[0].message.find('\xff') == std::string::npos);
  }

  TEST_CASE("triple-quoted strings") {
    auto l = lex("a = \"\"\"\n  one \"quoted\" \"\"\n  two\n  \"\"\"\nb = 1");
    CHECK(l->kinds() == "IDENT ASSIGN STRING IDENT ASSIGN INT");
    CHECK(l->diags.empty());
    const Token& s = l->tokens()[2];
    CHECK(s.line == 1);
    CHECK(l->text_of(s).ends_with("  \"\"\""));
    CHECK(syntax::decode_string(l->text_of(s), true).value == "one \"quoted\" \"\"\ntwo\n");
    const Token& b = l->tokens()[3];
    CHECK(b.line == 5);
    CHECK(b.first_on_line);
    CHECK(b.line_begin == l->text.find("b = 1"));

    CHECK(lex("\"\"\"\"\"\"")->kinds() == "STRING");
    auto four = lex("\"\"\"a\"\"\"\"\"");  // the first `"""` closes; `""` follows
    CHECK(four->kinds() == "STRING STRING");
    CHECK(four->texts() == "\"\"\"a\"\"\"|\"\"");
    auto escaped = lex("\"\"\"a\\\"\"\"\"");  // `\"` then `"""`
    CHECK(escaped->kinds() == "STRING");
    CHECK(escaped->diags.empty());

    // A backslash at the end of a line of a triple-quoted string escapes nothing.
    auto backslash = lex("\"\"\"a\\\nb\"\"\"");
    CHECK(backslash->kinds() == "STRING");
    REQUIRE(backslash->diags_list().size() == 1);
    CHECK(backslash->diags_list()[0].message.starts_with("`\\` at the end of a line"));
    CHECK(backslash->diags_list()[0].span.begin == 4);
  }

  TEST_CASE("interpolation token sequences") {
    auto l = lex(R"("a${x}b${y + 1}c")");
    CHECK(l->kinds() == "STRING_OPEN IDENT STRING_MIDDLE IDENT PLUS INT STRING_CLOSE");
    CHECK(l->texts() == R"("a${|x|}b${|y|+|1|}c")");

    auto nested = lex(R"("a${f("x${y}")}b")");
    CHECK(nested->kinds() ==
          "STRING_OPEN IDENT LPAREN STRING_OPEN IDENT STRING_CLOSE RPAREN STRING_CLOSE");
    CHECK(nested->texts() == R"("a${|f|(|"x${|y|}"|)|}b")");
    CHECK(nested->diags.empty());

    auto record = lex(R"("${ {a = 1}.a }")");
    CHECK(record->kinds() == "STRING_OPEN LBRACE IDENT ASSIGN INT RBRACE DOT IDENT STRING_CLOSE");
    CHECK(record->texts() == R"("${|{|a|=|1|}|.|a|}")");

    auto deep_braces = lex(R"("${ {a = {b = "${c}"}} }!")");
    CHECK(deep_braces->kinds() ==
          "STRING_OPEN LBRACE IDENT ASSIGN LBRACE IDENT ASSIGN STRING_OPEN IDENT STRING_CLOSE "
          "RBRACE RBRACE STRING_CLOSE");

    auto plain_in = lex(R"("${"s"}")");
    CHECK(plain_in->kinds() == "STRING_OPEN STRING STRING_CLOSE");

    auto empty = lex(R"("${}")");
    CHECK(empty->kinds() == "STRING_OPEN STRING_CLOSE");

    // Braces outside any string are just braces.
    CHECK(lex("} {")->kinds() == "RBRACE LBRACE");

    auto triple = lex("\"\"\"\n  a ${x}\n  b ${ {k = 1} }\n  \"\"\"");
    CHECK(triple->kinds() ==
          "STRING_OPEN IDENT STRING_MIDDLE LBRACE IDENT ASSIGN INT RBRACE STRING_CLOSE");
    CHECK(triple->tokens()[2].line == 2);
    CHECK(triple->tokens()[3].line == 3);
    CHECK(triple->tokens()[8].line == 3);
    CHECK(triple->diags.empty());

    // A triple-quoted string may span lines inside a single-line string's interpolation.
    auto inner = lex("\"a${ \"\"\"\nx\"\"\" }b\" z");
    CHECK(inner->kinds() == "STRING_OPEN STRING STRING_CLOSE IDENT");
    CHECK(inner->diags.empty());
  }

  TEST_CASE("string token text and decoding of parts") {
    using syntax::string_token_text;
    auto s = string_token_text(TokenKind::STRING, R"("abc")");
    CHECK(s.raw == "abc");
    CHECK(s.terminated);
    CHECK(!s.triple);
    s = string_token_text(TokenKind::STRING, R"("abc\")");  // cut off after an escaped quote
    CHECK(s.raw == R"(abc\")");
    CHECK(!s.terminated);
    s = string_token_text(TokenKind::STRING, R"("abc\\")");
    CHECK(s.raw == R"(abc\\)");
    CHECK(s.terminated);
    s = string_token_text(TokenKind::STRING, "\"");
    CHECK(s.raw.empty());
    CHECK(!s.terminated);
    s = string_token_text(TokenKind::STRING, "\"\"\"x\"\"\"");
    CHECK(s.triple);
    CHECK(s.raw == "x");
    CHECK(s.terminated);
    s = string_token_text(TokenKind::STRING, "\"\"\"\"\"");
    CHECK(s.triple);
    CHECK(!s.terminated);
    s = string_token_text(TokenKind::STRING_OPEN, "\"a${");
    CHECK(s.raw == "a");
    CHECK(!s.triple);
    s = string_token_text(TokenKind::STRING_OPEN, "\"\"\"\n  a${");
    CHECK(s.raw == "\n  a");
    CHECK(s.triple);
    s = string_token_text(TokenKind::STRING_MIDDLE, "}b${", true);
    CHECK(s.raw == "b");
    CHECK(s.triple);
    s = string_token_text(TokenKind::STRING_CLOSE, "}c\"");
    CHECK(s.raw == "c");
    CHECK(s.terminated);
    s = string_token_text(TokenKind::STRING_CLOSE, "}c\"\"\"", true);
    CHECK(s.raw == "c");
    CHECK(s.terminated);
    s = string_token_text(TokenKind::STRING_CLOSE, "");  // the empty close of a cut-off string
    CHECK(s.raw.empty());
    CHECK(!s.terminated);
    s = string_token_text(TokenKind::STRING_CLOSE, "}c");
    CHECK(s.raw == "c");
    CHECK(!s.terminated);
    CHECK(string_token_text(TokenKind::IDENT, "abc").raw.empty());

    using syntax::decode_string_parts;
    using V = std::vector<std::string>;
    CHECK(decode_string_parts({"a\\n", "b\\u{41}", ""}, false) == V{"a\n", "bA", ""});
    CHECK(decode_string_parts({"bad\\q", "x"}, false) == V{"bad", "x"});
    // Triple: the first line break goes, the common indentation goes, and an interpolation is
    // text on its line.
    CHECK(decode_string_parts({"\n    a ", "\n    b\n      c ", " d\n    "}, true) ==
          V{"a ", "\nb\n  c ", " d\n"});
    // A line holding only an interpolation keeps its indentation in the common prefix.
    CHECK(decode_string_parts({"\n    a\n  ", "\n    b\n  "}, true) == V{"  a\n", "\n  b\n"});
    // A blank line inside is emptied; a line of blanks before an interpolation is not blank.
    CHECK(decode_string_parts({"\n  a\n      \n  ", "\n  "}, true) == V{"a\n\n", "\n"});
    // One line: nothing is stripped.
    CHECK(decode_string_parts({"  a ", " b  "}, true) == V{"  a ", " b  "});
    // Without interpolations it agrees with decode_string.
    std::string_view triple_text = "\"\"\"\n   x\n    y \\t\n\n   \"\"\"";
    auto whole = syntax::decode_string(triple_text, true);
    CHECK(whole.problems.empty());
    CHECK(decode_string_parts({triple_text.substr(3, triple_text.size() - 6)}, true) ==
          V{whole.value});
    CHECK(whole.value == "x\n y \t\n\n");
    // decode_string keeps its single-token behaviour.
    CHECK(syntax::decode_string("\"\"\"\n    first\n      indented\n    last\n    \"\"\"", true)
              .value == "first\n  indented\nlast\n");
    CHECK(syntax::decode_string("\"\"\"one line\"\"\"", true).value == "one line");
    CHECK(syntax::decode_string("\"\"\"\n  a\n\n  b\"\"\"", true).value == "a\n\nb");
    CHECK(syntax::decode_string("\"\"", true).value.empty());
    auto problems = syntax::decode_string("\"\"\"\n  a\\q\n  \"\"\"", true).problems;
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].begin == 7);  // offsets into the token text, before the dedent
    CHECK(problems[0].end == 9);
    // Unterminated: the last line's blanks do not count as a closing line.
    CHECK(decode_string_parts({"\n    a\n  "}, true, false) == V{"a\n"});
    CHECK(decode_string_parts({"\n    a\n  "}, true, true) == V{"  a\n"});
    // CRLF line breaks.
    CHECK(decode_string_parts({"\r\n  a\r\n  ", "\r\n  "}, true) == V{"a\n", "\n"});
  }

  TEST_CASE("unterminated strings") {
    auto line = lex("name = \"web\nzone = \"a\"");
    CHECK(line->kinds() == "IDENT ASSIGN STRING IDENT ASSIGN STRING");
    CHECK(line->texts() == "name|=|\"web|zone|=|\"a\"");
    REQUIRE(line->diags_list().size() == 1);
    const diag::Diagnostic& d = line->diags_list()[0];
    CHECK(d.code == diag::Code::E0102);
    CHECK(d.message == "unterminated string");
    CHECK(d.label == "this string has no closing `\"` before the end of the line");
    CHECK(d.span.begin == 7);
    CHECK(d.span.end == 8);
    CHECK(line->tokens()[2].reported);
    CHECK(!line->tokens()[3].reported);

    auto crlf = lex("a = \"x\r\nb");
    CHECK(crlf->texts() == "a|=|\"x|b");
    CHECK(crlf->diags_list().size() == 1);

    auto backslash = lex("a = \"x\\\nb");
    CHECK(backslash->texts() == "a|=|\"x\\|b");
    CHECK(backslash->diags_list().size() == 1);

    auto file = lex("a = \"\"\"\n  text ${x} more\n");
    CHECK(file->kinds() == "IDENT ASSIGN STRING_OPEN IDENT STRING_CLOSE");
    REQUIRE(file->diags_list().size() == 1);
    CHECK(file->diags_list()[0].label ==
          "this string has no closing `\"\"\"` before the end of the file");
    CHECK(file->diags_list()[0].span.begin == 4);
    CHECK(file->diags_list()[0].span.end == 7);
    CHECK(file->tokens()[4].end == file->text.size());

    for (const char* text : {"\"", "\"\"\"", "\"${", "\"\"\"${", "\"\"\"${\"", "\"${\"${", "\"\\",
                             "\"\"\"\\", "\"\"\"${ \"\"\"", "x = \"${a", "\"${ {"}) {
      CAPTURE(text);
      auto l = lex(text);
      CHECK(l->diags_list().size() == 1);
      CHECK(l->diags_list()[0].code == diag::Code::E0102);
      check_invariants(l->text, l->result);
    }
  }

  TEST_CASE("an interpolation cut off by its line gives one diagnostic and a complete string") {
    auto l = lex("x = \"${a\ny = 1");
    CHECK(l->kinds() == "IDENT ASSIGN STRING_OPEN IDENT STRING_CLOSE IDENT ASSIGN INT");
    REQUIRE(l->diags_list().size() == 1);
    CHECK(l->diags_list()[0].code == diag::Code::E0102);
    CHECK(l->diags_list()[0].span.begin == 4);
    const Token& close = l->tokens()[4];
    CHECK(close.begin == 8);
    CHECK(close.end == 8);
    CHECK(close.reported);
    CHECK(close.line == 1);
    CHECK(l->tokens()[5].first_on_line);
    CHECK(!l->tokens()[5].reported);

    // Nested and cut off: every level closes, still one diagnostic.
    auto nested = lex("x = \"a${ \"b${ c\ny");
    CHECK(nested->kinds() ==
          "IDENT ASSIGN STRING_OPEN STRING_OPEN IDENT STRING_CLOSE STRING_CLOSE IDENT");
    CHECK(nested->diags_list().size() == 1);

    // An unterminated string inside an interpolation: one diagnostic.
    auto inner = lex("x = \"a${ \"b\ny");
    CHECK(inner->kinds() == "IDENT ASSIGN STRING_OPEN STRING STRING_CLOSE IDENT");
    CHECK(inner->diags_list().size() == 1);

    // A comment inside the interpolation runs to the end of the line, which cuts the string.
    auto comment = lex("x = \"${a # c\ny");
    CHECK(comment->kinds() == "IDENT ASSIGN STRING_OPEN IDENT STRING_CLOSE IDENT");
    CHECK(comment->result.comments.size() == 1);
    CHECK(comment->diags_list().size() == 1);

    // Inside a triple-quoted string's interpolation a line break is fine.
    auto triple = lex("\"\"\"${ a +\n b }\"\"\"");
    CHECK(triple->kinds() == "STRING_OPEN IDENT PLUS IDENT STRING_CLOSE");
    CHECK(triple->diags.empty());

    // A single-line string in a triple-quoted string's interpolation closes at its line only.
    auto mixed = lex("\"\"\"${ \"a${b\n }\"\"\"");
    CHECK(mixed->kinds() == "STRING_OPEN STRING_OPEN IDENT STRING_CLOSE STRING_CLOSE");
    CHECK(mixed->diags_list().size() == 1);
  }

  TEST_CASE("interpolations nested too deep are reported once") {
    std::string text = "x = ";
    for (int i = 0; i < 300; ++i)
      text += "\"${";
    text += "1";
    for (int i = 0; i < 300; ++i)
      text += "}\"";
    auto l = lex(text);
    REQUIRE(l->diags_list().size() == 1);
    CHECK(l->diags_list()[0].code == diag::Code::E0101);
    CHECK(l->diags_list()[0].message == "nesting deeper than 256 levels");
    CHECK(l->text_of(l->diags_list()[0].span) == "${");
    size_t opens = 0;
    size_t reported = 0;
    for (const Token& t : l->tokens()) {
      opens += t.kind == TokenKind::STRING_OPEN;
      reported += t.reported;
    }
    CHECK(opens == 300);
    CHECK(reported == 1);
    check_invariants(l->text, l->result);

    // 256 levels are fine.
    std::string ok;
    for (int i = 0; i < 256; ++i)
      ok += "\"${";
    for (int i = 0; i < 256; ++i)
      ok += "}\"";
    CHECK(lex(ok)->diags.empty());
  }

  TEST_CASE("comments") {
    auto l = lex("## Doc.\nx = 1  # why\n# plain\r\n  ### also doc\ny = 2#glued");
    CHECK(l->kinds() == "IDENT ASSIGN INT IDENT ASSIGN INT");
    const auto& c = l->result.comments;
    REQUIRE(c.size() == 5);
    CHECK(l->text_of(c[0].span) == "## Doc.");
    CHECK(c[0].doc);
    CHECK(!c[0].trailing);
    CHECK(l->text_of(c[1].span) == "# why");
    CHECK(!c[1].doc);
    CHECK(c[1].trailing);
    CHECK(l->text_of(c[2].span) == "# plain");  // the \r is not part of it
    CHECK(!c[2].trailing);
    CHECK(l->text_of(c[3].span) == "### also doc");
    CHECK(c[3].doc);
    CHECK(!c[3].trailing);
    CHECK(l->text_of(c[4].span) == "#glued");
    CHECK(c[4].trailing);
    CHECK(c[0].span.file == 7);
    // `#` inside a string is text.
    auto s = lex("\"a # b\" # c");
    CHECK(s->kinds() == "STRING");
    CHECK(s->result.comments.size() == 1);
    // A comment after a triple-quoted string that ends on a later line trails it.
    auto t = lex("x = \"\"\"\na\"\"\" # t\n# alone");
    REQUIRE(t->result.comments.size() == 2);
    CHECK(t->result.comments[0].trailing);
    CHECK(!t->result.comments[1].trailing);
  }

  TEST_CASE("lines and first tokens of lines") {
    auto l = lex("a = 1\n\n  b = [\n    2, 3]\r\n\tc\f= 4\n");
    const auto& t = l->tokens();
    REQUIRE(t.size() == 14);
    CHECK(l->texts() == "a|=|1|b|=|[|2|,|3|]|c|=|4");
    std::vector<uint32_t> lines;
    std::vector<bool> first;
    for (const Token& tok : t) {
      lines.push_back(tok.line);
      first.push_back(tok.first_on_line);
    }
    CHECK(lines == std::vector<uint32_t>{1, 1, 1, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6});
    CHECK(first == std::vector<bool>{true, false, false, true, false, false, true, false, false,
                                     false, true, false, false, true});
    CHECK(t[3].line_begin == 7);
    CHECK(t[6].line_begin == l->text.find("    2"));
    CHECK(t[13].begin == l->text.size());
    CHECK(t[13].end == l->text.size());
    check_invariants(l->text, l->result);

    auto empty = lex("");
    REQUIRE(empty->tokens().size() == 1);
    CHECK(empty->tokens()[0].kind == TokenKind::END);
    CHECK(empty->tokens()[0].line == 1);
    CHECK(empty->tokens()[0].first_on_line);
  }

  TEST_CASE("a byte order mark at the start is skipped") {
    auto l = lex("\xEF\xBB\xBFx = 1");
    CHECK(l->kinds() == "IDENT ASSIGN INT");
    CHECK(l->tokens()[0].begin == 3);
    CHECK(l->diags.empty());
    auto later = lex("x \xEF\xBB\xBF= 1");
    REQUIRE(later->diags_list().size() == 1);
    CHECK(later->diags_list()[0].message ==
          "unexpected character U+FEFF (a byte order mark, allowed only at the start of the file)");
  }

  TEST_CASE("unexpected characters") {
    auto l = lex("a $ b");
    CHECK(l->kinds() == "IDENT IDENT");
    REQUIRE(l->diags_list().size() == 1);
    CHECK(l->diags_list()[0].code == diag::Code::E0101);
    CHECK(l->diags_list()[0].message == "unexpected character `$`");
    CHECK(l->diags_list()[0].span.begin == 2);
    CHECK(l->diags_list()[0].span.end == 3);
    CHECK(!l->tokens()[0].reported);
    CHECK(l->tokens()[1].reported);

    auto run = lex("a ~~;^ b");
    REQUIRE(run->diags_list().size() == 1);
    CHECK(run->diags_list()[0].message == "unexpected characters `~~;^`");
    CHECK(run->text_of(run->diags_list()[0].span) == "~~;^");

    auto semi = lex("a = 1;");
    REQUIRE(semi->diags_list().size() == 1);
    CHECK(semi->diags_list()[0].message == "unexpected character `;`");
    REQUIRE(semi->diags_list()[0].fixes.size() == 1);
    CHECK(semi->diags_list()[0].fixes[0].replacement.empty());
    CHECK(semi->tokens().back().reported);  // END follows the skipped `;`

    auto amp = lex("a & b | c");
    CHECK(amp->kinds() == "IDENT IDENT IDENT");
    REQUIRE(amp->diags_list().size() == 2);
    CHECK(amp->diags_list()[0].fixes.at(0).replacement == "&&");
    CHECK(amp->diags_list()[1].fixes.at(0).replacement == "||");

    auto letter = lex("caf\xC3\xA9 = 1");
    CHECK(letter->kinds() == "IDENT ASSIGN INT");
    REQUIRE(letter->diags_list().size() == 1);
    CHECK(letter->diags_list()[0].message == "unexpected character `\xC3\xA9`");
    CHECK(letter->text_of(letter->diags_list()[0].span) == "\xC3\xA9");

    auto invalid = lex("a \xff\xfe b");
    REQUIRE(invalid->diags_list().size() == 1);
    CHECK(invalid->diags_list()[0].message == "invalid UTF-8: unexpected bytes 0xFF 0xFE");

    auto mixed = lex("a ~\xff b");
    REQUIRE(mixed->diags_list().size() == 1);
    CHECK(mixed->diags_list()[0].message == "unexpected characters `~\xEF\xBF\xBD`");

    auto nul = lex(std::string("a \0 b", 5));
    REQUIRE(nul->diags_list().size() == 1);
    CHECK(nul->diags_list()[0].message == "unexpected character U+0000");
    CHECK(nul->kinds() == "IDENT IDENT");

    auto nbsp = lex("a\xC2\xA0=1");
    REQUIRE(nbsp->diags_list().size() == 1);
    CHECK(nbsp->diags_list()[0].message == "unexpected character U+00A0 (a no-break space)");
    CHECK(nbsp->diags_list()[0].fixes.at(0).replacement == " ");
  }

  TEST_CASE("strings in the wrong quotes are one bad literal") {
    auto l = lex("a = 'web' + 1");
    CHECK(l->kinds() == "IDENT ASSIGN BAD_LITERAL PLUS INT");
    REQUIRE(l->diags_list().size() == 1);
    const diag::Diagnostic& d = l->diags_list()[0];
    CHECK(d.code == diag::Code::E0101);
    CHECK(d.message == "unexpected character `'`");
    CHECK(d.label == "strings are written in double quotes");
    CHECK(d.fixes.at(0).replacement == "\"web\"");
    CHECK(l->text_of(d.span) == "'web'");
    CHECK(l->tokens()[2].reported);

    auto smart = lex("a = \xE2\x80\x9Cweb\xE2\x80\x9D");
    CHECK(smart->kinds() == "IDENT ASSIGN BAD_LITERAL");
    REQUIRE(smart->diags_list().size() == 1);
    CHECK(smart->diags_list()[0].fixes.at(0).replacement == "\"web\"");

    auto lone = lex("a = 'web\nb");
    CHECK(lone->kinds() == "IDENT ASSIGN IDENT IDENT");
    REQUIRE(lone->diags_list().size() == 1);
    CHECK(lone->diags_list()[0].label == "strings are written in double quotes");
  }

  TEST_CASE("robustness: every short combination of interesting bytes") {
    const std::string alphabet[] = {"\"",
                                    "$",
                                    "{",
                                    "}",
                                    "\\",
                                    "\n",
                                    "#",
                                    "1",
                                    ".",
                                    "v",
                                    "%",
                                    "a",
                                    " ",
                                    "'",
                                    "\xE2\x80",
                                    "\xff",
                                    std::string(1, '\0'),
                                    "/",
                                    "e",
                                    "-",
                                    "u",
                                    "\r",
                                    "\"\"\"",
                                    "${",
                                    "x",
                                    "0",
                                    "\x9C"};
    constexpr size_t n = std::size(alphabet);
    for (size_t a = 0; a < n; ++a) {
      check_any(alphabet[a]);
      for (size_t b = 0; b < n; ++b) {
        check_any(alphabet[a] + alphabet[b]);
        for (size_t c = 0; c < n; ++c)
          check_any(alphabet[a] + alphabet[b] + alphabet[c]);
      }
    }
    // Deeper combinations of the characters that drive strings and interpolations.
    const char strings[] = {'"', '$', '{', '}', '\\', '\n', 'a'};
    std::string s;
    for (int length = 4; length <= 6; ++length) {
      size_t total = 1;
      for (int i = 0; i < length; ++i)
        total *= std::size(strings);
      for (size_t k = 0; k < total; ++k) {
        s.clear();
        for (size_t rest = k, i = 0; i < static_cast<size_t>(length); ++i) {
          s += strings[rest % std::size(strings)];
          rest /= std::size(strings);
        }
        check_any(s);
      }
    }
  }

  TEST_CASE("robustness: random text and large inputs") {
    std::mt19937 random(12345);
    const std::string pieces[] = {
        "\"",  "\"\"\"", "${",   "}",        "{",  "\\", "\n", "#",    "1",
        "1.2", ".",      "v1.2", "%",        "a",  " ",  "'",  "\xff", "/",
        "e-",  "\\u{",   "Gi",   "ms",       "0x", "_",  "..", "\r",   "\xE2\x80\x9C",
        "(",   ")",      "=",    "1.2.3.4/5"};
    for (int round = 0; round < 20000; ++round) {
      std::string text;
      int count = static_cast<int>(random() % 24);
      for (int i = 0; i < count; ++i)
        text += pieces[random() % std::size(pieces)];
      check_any(text);
    }
    check_any(std::string(200000, '"'));
    check_any(std::string(200000, '{'));
    check_any(std::string(200000, '\xff'));
    std::string opens;
    for (int i = 0; i < 100000; ++i)
      opens += "\"${";
    check_any(opens);
    check_any(opens + "\n" + opens);
    check_any("\"\"\"" + opens);
  }
}
