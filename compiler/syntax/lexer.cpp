// The hand-written lexer (lexer.h): one pass over the bytes, driven by a table of character
// classes, with no allocation per token; interpolated strings nest on an explicit stack.
#include "compiler/syntax/lexer.h"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <string>

#include "compiler/syntax/literals.h"
#include "compiler/syntax/utf8.h"

namespace kc::syntax {

namespace {

using diag::Code;
using source::Span;

// Interpolations may nest this deep, like brackets in the parser.
constexpr size_t kMaxInterpolationDepth = 256;
// Offsets are 32-bit; END sits at the size of the text.
constexpr size_t kMaxText = UINT32_MAX - 1;

constexpr std::string_view kLineEndLabel =
    "this string has no closing `\"` before the end of the line";
constexpr std::string_view kFileEndLabel =
    "this string has no closing `\"\"\"` before the end of the file";

// ---- Character classes ----

enum : uint8_t {
  kDigit = 1 << 0,
  kIdentStart = 1 << 1,  // A-Z a-z _
  kWord = 1 << 2,        // A-Z a-z 0-9 _
  kBlank = 1 << 3,       // whitespace that is not a line break
  kInString = 1 << 4,    // stops the scan of a single-line string
  kInTriple = 1 << 5,    // stops the scan of a triple-quoted string
  kStray = 1 << 6,       // an ASCII character that starts no token
};

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c)
    t[c] |= kDigit | kWord;
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] |= kIdentStart | kWord;
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] |= kIdentStart | kWord;
  t['_'] |= kIdentStart | kWord;
  t[' '] |= kBlank;
  t['\t'] |= kBlank;
  t['\f'] |= kBlank;
  for (char c : {'"', '\\', '$', '\n', '\r'})
    t[static_cast<unsigned char>(c)] |= kInString;
  for (char c : {'"', '\\', '$', '\n'})
    t[static_cast<unsigned char>(c)] |= kInTriple;
  for (int c = 0; c < 0x20; ++c) {
    if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') t[c] |= kStray;
  }
  for (char c : {'$', '~', ';', '`', '\\', '^', '\x7f'})
    t[static_cast<unsigned char>(c)] |= kStray;
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = make_classes();

bool has(char c, uint8_t cls) {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
bool is_digit(char c) {
  return has(c, kDigit);
}
bool is_word(char c) {
  return has(c, kWord);
}
bool is_alnum(char c) {
  return c != '_' && has(c, kWord);
}

// ---- Shapes of number-like text ----

// Length of the well-formed digits ([0-9]+ ('_' [0-9]+)*) at s[at], 0 when there are none.
size_t digits_length(std::string_view s, size_t at) {
  size_t i = at;
  if (i >= s.size() || !is_digit(s[i])) return 0;
  while (i < s.size()) {
    if (is_digit(s[i])) {
      ++i;
    } else if (s[i] == '_' && i + 1 < s.size() && is_digit(s[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return i - at;
}

bool is_digits(std::string_view s) {
  return !s.empty() && digits_length(s, 0) == s.size();
}

// Digits [eE] [+-]? Digits
bool is_exponent_form(std::string_view s) {
  size_t d = digits_length(s, 0);
  if (d == 0 || d >= s.size() || (s[d] != 'e' && s[d] != 'E')) return false;
  size_t k = d + 1;
  if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
  size_t e = digits_length(s, k);
  return e > 0 && k + e == s.size();
}

// 0x then hex digits with single underscores between them.
bool is_hex_int(std::string_view s) {
  if (s.size() < 3) return false;
  bool digit_before = false;
  for (size_t i = 2; i < s.size(); ++i) {
    char c = s[i];
    bool hex = is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (hex) {
      digit_before = true;
    } else if (c == '_' && digit_before) {
      digit_before = false;
    } else {
      return false;
    }
  }
  return digit_before;
}

// (Digits DurationUnit)+ with units ms s m h d.
bool is_duration_form(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t d = digits_length(s, i);
    if (d == 0) return false;
    i += d;
    if (i + 1 < s.size() && s[i] == 'm' && s[i + 1] == 's') {
      i += 2;
    } else if (i < s.size() && (s[i] == 's' || s[i] == 'm' || s[i] == 'h' || s[i] == 'd')) {
      ++i;
    } else {
      return false;
    }
  }
  return !s.empty();
}

// Digits SizeUnit with units k M G T P E and Ki Mi Gi Ti Pi Ei.
bool is_size_form(std::string_view s) {
  size_t d = digits_length(s, 0);
  if (d == 0 || d == s.size()) return false;
  std::string_view unit = s.substr(d);
  if (unit.size() == 1) return std::string_view("kMGTPE").find(unit[0]) != std::string_view::npos;
  return unit.size() == 2 && unit[1] == 'i' &&
         std::string_view("KMGTPE").find(unit[0]) != std::string_view::npos;
}

bool all_of(std::string_view s, std::string_view allowed) {
  return s.find_first_not_of(allowed) == std::string_view::npos;
}

TokenKind domain_token(ast::DomainLit::Kind kind) {
  switch (kind) {
    case ast::DomainLit::Kind::Duration:
      return TokenKind::DURATION;
    case ast::DomainLit::Kind::Bytes:
      return TokenKind::SIZE;
    case ast::DomainLit::Kind::Percent:
      return TokenKind::PERCENT;
    case ast::DomainLit::Kind::Version:
      return TokenKind::VERSION;
    case ast::DomainLit::Kind::Ip:
      return TokenKind::IPV4;
    case ast::DomainLit::Kind::Cidr:
      return TokenKind::CIDR;
  }
  return TokenKind::BAD_LITERAL;
}

TokenKind word_kind(const char* s, size_t n) {
  auto is = [&](const char* keyword) { return std::memcmp(s, keyword, n) == 0; };
  switch (n) {
    case 2:
      if (is("as")) return TokenKind::AS;
      if (is("fn")) return TokenKind::FN;
      if (is("in")) return TokenKind::IN;
      if (is("if")) return TokenKind::IF;
      break;
    case 3:
      if (is("let")) return TokenKind::LET;
      if (is("for")) return TokenKind::FOR;
      break;
    case 4:
      switch (s[0]) {
        case 't':
          if (is("type")) return TokenKind::TYPE;
          if (is("then")) return TokenKind::THEN;
          if (is("true")) return TokenKind::TRUE_KW;
          break;
        case 'e':
          if (is("enum")) return TokenKind::ENUM;
          if (is("else")) return TokenKind::ELSE;
          break;
        case 'n':
          if (is("null")) return TokenKind::NULL_KW;
          break;
        case 's':
          if (is("self")) return TokenKind::SELF;
          break;
        case 'w':
          if (is("with")) return TokenKind::WITH;
          break;
        default:
          break;
      }
      break;
    case 5:
      if (is("param")) return TokenKind::PARAM;
      if (is("check")) return TokenKind::CHECK;
      if (is("false")) return TokenKind::FALSE_KW;
      break;
    case 6:
      if (is("import")) return TokenKind::IMPORT;
      if (is("schema")) return TokenKind::SCHEMA;
      if (is("output")) return TokenKind::OUTPUT;
      break;
    case 7:
      if (is("extends")) return TokenKind::EXTENDS;
      if (is("backend")) return TokenKind::BACKEND;
      break;
    case 8:
      if (is("resource")) return TokenKind::RESOURCE;
      if (is("provider")) return TokenKind::PROVIDER;
      break;
    default:
      break;
  }
  return TokenKind::IDENT;
}

// ---- Stray characters ----

bool printable(char32_t cp) {
  return cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) && cp != 0xA0 && cp != 0xAD &&
         cp != 0xFEFF && !(cp >= 0x200B && cp <= 0x200F) && !(cp >= 0x2028 && cp <= 0x202E) &&
         !(cp >= 0x2060 && cp <= 0x2064);
}

std::string_view invisible_name(char32_t cp) {
  switch (cp) {
    case 0x00A0:
      return " (a no-break space)";
    case 0x00AD:
      return " (a soft hyphen)";
    case 0x200B:
      return " (a zero-width space)";
    case 0xFEFF:
      return " (a byte order mark, allowed only at the start of the file)";
    case 0x2028:
      return " (a line separator)";
    case 0x2029:
      return " (a paragraph separator)";
    default:
      return "";
  }
}

// Quotes other than `"`, which some editors and documents produce: 1 for `'`, 2 for `‘` `’`,
// 3 for `“` `”`; 0 for anything else. `length` is set to the bytes of the quote.
int wrong_quote(std::string_view text, size_t at, uint32_t* length) {
  if (text[at] == '\'') {
    *length = 1;
    return 1;
  }
  if (at + 2 < text.size() && text[at] == '\xE2' && text[at + 1] == '\x80') {
    *length = 3;
    switch (text[at + 2]) {
      case '\x98':
      case '\x99':
        return 2;
      case '\x9C':
      case '\x9D':
        return 3;
      default:
        break;
    }
  }
  return 0;
}

// ---- The lexer ----

class Lexer {
 public:
  Lexer(std::string_view text, source::FileId file, diag::Diagnostics& diags)
      : text_(text.substr(0, kMaxText)),
        n_(static_cast<uint32_t>(text_.size())),
        file_(file),
        diags_(diags),
        too_large_(text.size() > kMaxText) {}

  LexResult run() {
    // Real code has about one token per 5 bytes; a copy on growth costs more than address space
    // reserved and never touched.
    out_.tokens.reserve(n_ / 4 + 16);
    if (too_large_) {
      diags_.error(Code::E0101, span(0, 0),
                   "the file is larger than 4 GiB; only its start is read");
      pending_reported_ = true;
    }
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    while (true) {
      skip_trivia();
      if (pos_ >= n_) break;
      token();
    }
    if (!open_.empty()) close_open_strings(n_, true);
    start_token();
    emit(TokenKind::END, n_, n_);
    return std::move(out_);
  }

 private:
  // A string whose interpolation is being lexed.
  struct OpenString {
    uint32_t quote;   // offset of its opening quote(s)
    uint32_t braces;  // `{` opened inside the interpolation and not closed yet
    bool triple;
  };
  enum class StringEnd : uint8_t { Quote, Interpolation, Unterminated };
  struct StringScan {
    StringEnd end;
    uint32_t pos;  // just past the closing quote(s) or `${`; at the line break or end otherwise
  };

  Span span(uint32_t begin, uint32_t end) const { return Span{file_, begin, end}; }

  void start_token() {
    tok_line_ = line_;
    tok_line_begin_ = line_begin_;
  }

  void emit(TokenKind kind, uint32_t begin, uint32_t end, bool reported = false) {
    Token& t = out_.tokens.emplace_back();
    t.kind = kind;
    t.reported = reported || pending_reported_;
    t.first_on_line = tok_line_ > last_end_line_;
    t.begin = begin;
    t.end = end;
    t.line = tok_line_;
    t.line_begin = tok_line_begin_;
    pending_reported_ = false;
    last_end_line_ = line_;
  }

  void new_line(uint32_t next_line_begin) {
    ++line_;
    line_begin_ = next_line_begin;
  }

  // Whitespace and comments. A line break inside the interpolation of a single-line string ends
  // that string.
  void skip_trivia() {
    while (pos_ < n_) {
      char c = text_[pos_];
      if (has(c, kBlank)) {
        ++pos_;
      } else if (c == '\n') {
        if (!open_.empty() && !open_.back().triple) close_open_strings(pos_, false);
        ++pos_;
        new_line(pos_);
      } else if (c == '\r') {
        if (!open_.empty() && !open_.back().triple) close_open_strings(pos_, false);
        ++pos_;
      } else if (c == '#') {
        comment();
      } else {
        return;
      }
    }
  }

  void comment() {
    uint32_t begin = pos_;
    uint32_t end = begin + 1;
    while (end < n_ && text_[end] != '\n' && text_[end] != '\r')
      ++end;
    bool doc = end - begin >= 2 && text_[begin + 1] == '#';
    out_.comments.push_back(ast::Comment{span(begin, end), doc, last_end_line_ == line_});
    pos_ = end;
  }

  void token() {
    start_token();
    uint32_t start = pos_;
    char c = text_[pos_];
    char next = pos_ + 1 < n_ ? text_[pos_ + 1] : '\0';
    auto one = [&](TokenKind kind) {
      ++pos_;
      emit(kind, start, pos_);
    };
    auto two = [&](char second, TokenKind pair, TokenKind single) {
      if (next == second) {
        pos_ += 2;
        emit(pair, start, pos_);
      } else {
        one(single);
      }
    };
    switch (c) {
      case '"':
        string_literal();
        return;
      case '{':
        if (!open_.empty()) ++open_.back().braces;
        one(TokenKind::LBRACE);
        return;
      case '}':
        if (!open_.empty()) {
          if (open_.back().braces == 0) {
            string_continuation();
            return;
          }
          --open_.back().braces;
        }
        one(TokenKind::RBRACE);
        return;
      case '[':
        one(TokenKind::LBRACK);
        return;
      case ']':
        one(TokenKind::RBRACK);
        return;
      case '(':
        one(TokenKind::LPAREN);
        return;
      case ')':
        one(TokenKind::RPAREN);
        return;
      case ',':
        one(TokenKind::COMMA);
        return;
      case ':':
        one(TokenKind::COLON);
        return;
      case '@':
        one(TokenKind::AT);
        return;
      case '+':
        one(TokenKind::PLUS);
        return;
      case '*':
        one(TokenKind::STAR);
        return;
      case '/':
        one(TokenKind::SLASH);
        return;
      case '%':
        one(TokenKind::PERCENT_SIGN);
        return;
      case '.':
        two('.', TokenKind::RANGE, TokenKind::DOT);
        return;
      case '?':
        two('?', TokenKind::COALESCE, TokenKind::QUESTION);
        return;
      case '-':
        two('>', TokenKind::ARROW, TokenKind::MINUS);
        return;
      case '!':
        two('=', TokenKind::NE, TokenKind::BANG);
        return;
      case '<':
        two('=', TokenKind::LE, TokenKind::LT);
        return;
      case '>':
        two('=', TokenKind::GE, TokenKind::GT);
        return;
      case '=':
        if (next == '>') {
          pos_ += 2;
          emit(TokenKind::FAT_ARROW, start, pos_);
          return;
        }
        two('=', TokenKind::EQ, TokenKind::ASSIGN);
        return;
      case '&':
        if (next == '&') {
          pos_ += 2;
          emit(TokenKind::AND, start, pos_);
          return;
        }
        stray();
        return;
      case '|':
        if (next == '|') {
          pos_ += 2;
          emit(TokenKind::OR, start, pos_);
          return;
        }
        stray();
        return;
      default:
        break;
    }
    if (is_digit(c)) {
      number();
    } else if (c == 'v' && is_digit(next)) {
      version_or_name();
    } else if (has(c, kIdentStart)) {
      name();
    } else {
      uint32_t length = 0;
      int family = wrong_quote(text_, pos_, &length);
      if (family != 0) {
        wrongly_quoted(family, length);
      } else {
        stray();
      }
    }
  }

  // ---- Names and keywords ----

  uint32_t word_end(uint32_t i) const {
    while (i < n_ && is_word(text_[i]))
      ++i;
    return i;
  }

  void name() {
    uint32_t start = pos_;
    pos_ = word_end(pos_ + 1);
    emit(word_kind(text_.data() + start, pos_ - start), start, pos_);
  }

  // `v1.29.4` and its malformed relatives (`v1.29`, `v1.2.3x`); `v1`, `v12x` are names.
  void version_or_name() {
    uint32_t start = pos_;
    uint32_t i = pos_ + 1;
    while (i < n_ && is_digit(text_[i]))
      ++i;
    if (!(i + 1 < n_ && text_[i] == '.' && is_digit(text_[i + 1]))) {
      name();
      return;
    }
    // The core takes dots before digits only, so `v1.29.4.major` is member access; after `-` or
    // `+` (prerelease, build) dots separate identifiers.
    bool tail = false;
    while (i < n_) {
      char c = text_[i];
      if (is_word(c)) {
        ++i;
        continue;
      }
      char d = i + 1 < n_ ? text_[i + 1] : '\0';
      if (c == '.' && (tail ? is_alnum(d) || d == '-' : is_digit(d))) {
        ++i;
      } else if ((c == '-' || c == '+') && is_alnum(d)) {
        tail = true;
        ++i;
      } else {
        break;
      }
    }
    pos_ = i;
    domain_literal(start, i, DomainShape::Version);
  }

  // ---- Numbers and domain literals ----

  // A run of word characters from `i`; an exponent sign after `<digits>e` continues it (`1e-3`).
  uint32_t segment_end(uint32_t i) const {
    uint32_t j = word_end(i);
    if (j + 1 < n_ && (text_[j] == '+' || text_[j] == '-') && is_digit(text_[j + 1]) &&
        j - i >= 2 && (text_[j - 1] == 'e' || text_[j - 1] == 'E') &&
        all_of(text_.substr(i, j - 1 - i), "0123456789_")) {
      j = word_end(j + 1);
    }
    return j;
  }

  // Takes the longest run of digits, letters, `_`, `.` before a digit (and `/` before a digit
  // after two dots), then decides what literal it is, so a number glued to letters is one token.
  void number() {
    uint32_t start = pos_;
    uint32_t i = segment_end(start);
    uint32_t dots = 0;
    while (i + 1 < n_ && text_[i] == '.' && is_digit(text_[i + 1])) {
      i = segment_end(i + 1);
      ++dots;
    }
    bool slash = false;
    if (dots >= 2 && i + 1 < n_ && text_[i] == '/' && is_digit(text_[i + 1])) {
      i = word_end(i + 1);
      slash = true;
    }
    std::string_view t = text_.substr(start, i - start);

    // `40%`, `12.5%`, unless the `%` is a modulo: followed by a name, a digit or `(`.
    if (!slash && dots <= 1 && i < n_ && text_[i] == '%' && all_of(t, "0123456789_.")) {
      char after = i + 1 < n_ ? text_[i + 1] : '\0';
      if (!is_word(after) && after != '(') {
        pos_ = i + 1;
        domain_literal(start, pos_, DomainShape::Percent);
        return;
      }
    }
    pos_ = i;

    if (slash) {
      if (dots == 3 && all_of(t, "0123456789./")) {
        domain_literal(start, i, DomainShape::Cidr);
      } else {
        bad_literal(start, i, DomainShape::BadNumber);
      }
      return;
    }
    if (dots == 3 && all_of(t, "0123456789.")) {
      domain_literal(start, i, DomainShape::Ip);
      return;
    }
    if (dots == 1) {
      size_t dot = t.find('.');
      std::string_view fraction = t.substr(dot + 1);
      if (is_digits(t.substr(0, dot)) && (is_digits(fraction) || is_exponent_form(fraction))) {
        float_literal(start, i);
      } else {
        bad_literal(start, i, DomainShape::BadNumber);
      }
      return;
    }
    if (dots > 0) {
      bad_literal(start, i, DomainShape::BadNumber);
    } else if (t.size() > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
      if (is_hex_int(t)) {
        int_literal(start, i);
      } else {
        bad_literal(start, i, DomainShape::BadNumber);
      }
    } else if (is_digits(t)) {
      int_literal(start, i);
    } else if (is_exponent_form(t)) {
      float_literal(start, i);
    } else if (is_duration_form(t)) {
      domain_literal(start, i, DomainShape::Duration);
    } else if (is_size_form(t)) {
      domain_literal(start, i, DomainShape::Bytes);
    } else {
      bad_literal(start, i, DomainShape::BadNumber);
    }
  }

  void int_literal(uint32_t start, uint32_t end) {
    std::string_view t = text_.substr(start, end - start);
    // Up to 18 decimal digits always fit in an int64.
    if (t.size() <= 18 && all_of(t, "0123456789")) {
      emit(TokenKind::INT, start, end);
      return;
    }
    std::string error;
    if (parse_int(t, &error)) {
      emit(TokenKind::INT, start, end);
      return;
    }
    diags_.error(Code::E0103, span(start, end), std::move(error))
        .with_label("integer out of range");
    emit(TokenKind::BAD_LITERAL, start, end, true);
  }

  void float_literal(uint32_t start, uint32_t end) {
    std::string error;
    if (parse_float(text_.substr(start, end - start), &error)) {
      emit(TokenKind::FLOAT, start, end);
      return;
    }
    diags_.error(Code::E0103, span(start, end), std::move(error)).with_label("float out of range");
    emit(TokenKind::BAD_LITERAL, start, end, true);
  }

  // A literal of the shape's kind, validated by its sdk parser.
  void domain_literal(uint32_t start, uint32_t end, DomainShape shape) {
    DomainCheck check = check_domain(text_.substr(start, end - start), shape);
    if (check.kind) {
      emit(domain_token(*check.kind), start, end);
      return;
    }
    report_literal(start, end, check);
  }

  void bad_literal(uint32_t start, uint32_t end, DomainShape shape) {
    DomainCheck check = check_domain(text_.substr(start, end - start), shape);
    if (check.kind) {  // not expected from a malformed shape, but a valid literal is not an error
      emit(domain_token(*check.kind), start, end);
      return;
    }
    report_literal(start, end, check);
  }

  void report_literal(uint32_t start, uint32_t end, const DomainCheck& check) {
    diag::Diagnostic& d = diags_.error(Code::E0103, span(start, end), check.error);
    if (!check.replacement.empty()) {
      d.with_fix(fmt::format("write `{}`", check.replacement), span(start, end), check.replacement);
    }
    emit(TokenKind::BAD_LITERAL, start, end, true);
  }

  // ---- Strings ----

  void string_literal() {
    uint32_t start = pos_;
    bool triple = start + 2 < n_ && text_[start + 1] == '"' && text_[start + 2] == '"';
    string_reported_ = false;
    StringScan r = scan_string(start + (triple ? 3 : 1), triple);
    pos_ = r.pos;
    switch (r.end) {
      case StringEnd::Quote:
        emit(TokenKind::STRING, start, r.pos, string_reported_);
        return;
      case StringEnd::Interpolation: {
        open_.push_back(OpenString{start, 0, triple});
        bool reported = string_reported_;
        if (open_.size() > kMaxInterpolationDepth && !depth_reported_) {
          depth_reported_ = true;
          reported = true;
          diags_
              .error(Code::E0101, span(r.pos - 2, r.pos),
                     fmt::format("nesting deeper than {} levels", kMaxInterpolationDepth))
              .with_label("too deep")
              .with_note("split the value into named `let` bindings");
        }
        emit(TokenKind::STRING_OPEN, start, r.pos, reported);
        return;
      }
      case StringEnd::Unterminated:
        report_unterminated(start, triple, false);
        emit(TokenKind::STRING, start, r.pos, true);
        return;
    }
  }

  // At the `}` that closes an interpolation: the string goes on to its next `${` or its end.
  void string_continuation() {
    uint32_t start = pos_;
    OpenString open = open_.back();
    string_reported_ = false;
    StringScan r = scan_string(start + 1, open.triple);
    pos_ = r.pos;
    switch (r.end) {
      case StringEnd::Quote:
        open_.pop_back();
        emit(TokenKind::STRING_CLOSE, start, r.pos, string_reported_);
        return;
      case StringEnd::Interpolation:
        emit(TokenKind::STRING_MIDDLE, start, r.pos, string_reported_);
        return;
      case StringEnd::Unterminated:
        open_.pop_back();
        report_unterminated(open.quote, open.triple, true);
        emit(TokenKind::STRING_CLOSE, start, r.pos, true);
        return;
    }
  }

  // Scans string text from `i` to the closing quote(s), a `${`, or where the string is cut off:
  // the line break (single-line) or the end of the file. Reports bad escapes.
  StringScan scan_string(uint32_t i, bool triple) {
    const uint8_t stop = triple ? kInTriple : kInString;
    while (true) {
      while (i < n_ && !has(text_[i], stop))
        ++i;
      if (i >= n_) return {StringEnd::Unterminated, n_};
      switch (text_[i]) {
        case '"':
          if (!triple) return {StringEnd::Quote, i + 1};
          if (i + 2 < n_ && text_[i + 1] == '"' && text_[i + 2] == '"') {
            return {StringEnd::Quote, i + 3};
          }
          ++i;
          break;
        case '$':
          if (i + 1 < n_ && text_[i + 1] == '{') return {StringEnd::Interpolation, i + 2};
          ++i;
          break;
        case '\n':
          if (!triple) return {StringEnd::Unterminated, i};
          ++i;
          new_line(i);
          break;
        case '\r':  // stops single-line strings only
          return {StringEnd::Unterminated, i};
        default:  // '\\'
          if (!escape(i, triple)) return {StringEnd::Unterminated, i};
          break;
      }
    }
  }

  // Moves `i` past the escape at text_[i] (a backslash) and reports it when it is bad. False when
  // the string is cut off there instead, with `i` where: the end of the file, or the line break
  // after the backslash in a single-line string.
  bool escape(uint32_t& i, bool triple) {
    if (i + 1 >= n_) {
      i = n_;
      return false;
    }
    char d = text_[i + 1];
    switch (d) {
      case 'n':
      case 't':
      case 'r':
      case '"':
      case '\\':
      case '$':
        i += 2;
        return true;
      case '\n':
      case '\r':
        if (!triple) {
          i += 1;
          return false;
        }
        break;
      default:
        break;
    }
    Escape e = scan_escape(text_, i);
    if (e.valid) {
      i += e.length;
      return true;
    }
    diag::Diagnostic& diag = diags_.error(Code::E0103, span(i, i + e.length), e.problem);
    if (e.length == 2 && is_word(d) && d != 'u') {
      diag.with_fix("write `\\\\` for a backslash", span(i, i + 2), fmt::format("\\\\{}", d));
    }
    string_reported_ = true;
    i += e.length;
    return true;
  }

  void report_unterminated(uint32_t quote, bool triple, bool once_per_line) {
    if (once_per_line && unterminated_line_ == line_) return;
    unterminated_line_ = line_;
    diags_.error(Code::E0102, span(quote, quote + (triple ? 3 : 1)), "unterminated string")
        .with_label(std::string(triple ? kFileEndLabel : kLineEndLabel));
  }

  // Closes the open strings cut off at `at`: every one at the end of the file, else those whose
  // interpolation a line break ends (the single-line ones above the innermost triple-quoted one).
  // One diagnostic, on the outermost; each gets an empty STRING_CLOSE.
  void close_open_strings(uint32_t at, bool end_of_file) {
    size_t keep = open_.size();
    if (end_of_file) {
      keep = 0;
    } else {
      while (keep > 0 && !open_[keep - 1].triple)
        --keep;
    }
    if (keep == open_.size()) return;
    report_unterminated(open_[keep].quote, open_[keep].triple, true);
    start_token();
    while (open_.size() > keep) {
      open_.pop_back();
      emit(TokenKind::STRING_CLOSE, at, at, true);
    }
  }

  // ---- Stray characters ----

  bool stray_at(uint32_t i) const {
    char c = text_[i];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (has(c, kStray)) return true;
      char next = i + 1 < n_ ? text_[i + 1] : '\0';
      return (c == '&' && next != '&') || (c == '|' && next != '|');
    }
    uint32_t length = 0;
    return wrong_quote(text_, i, &length) == 0;
  }

  // A run of characters that start no token: one diagnostic, and the next token is reported.
  void stray() {
    uint32_t start = pos_;
    uint32_t count = 0;
    uint32_t invalid = 0;
    std::string shown;
    char32_t first = 0;
    bool first_valid = true;
    do {
      utf8::Decoded d = utf8::decode(text_, pos_);
      if (count == 0) first = d.code_point, first_valid = d.valid;
      if (!d.valid) ++invalid;
      if (count < 16) {
        if (d.valid && printable(d.code_point)) {
          shown.append(text_.substr(pos_, d.length));
        } else {
          utf8::append(shown, utf8::kReplacement);
        }
      } else if (count == 16) {
        shown += "…";
      }
      pos_ += d.length;
      ++count;
    } while (pos_ < n_ && stray_at(pos_));
    pending_reported_ = true;

    Span at = span(start, pos_);
    if (invalid == count) {
      std::string bytes;
      for (uint32_t i = start; i < pos_ && i < start + 8; ++i)
        bytes += fmt::format(" 0x{:02X}", static_cast<unsigned char>(text_[i]));
      if (pos_ - start > 8) bytes += " …";
      diags_
          .error(Code::E0101, at,
                 fmt::format("invalid UTF-8: unexpected byte{}{}", count > 1 ? "s" : "", bytes))
          .with_label("not UTF-8 text")
          .with_note("source files are UTF-8 text");
      return;
    }
    if (count > 1) {
      diags_.error(Code::E0101, at, fmt::format("unexpected characters `{}`", shown));
      return;
    }
    if (!first_valid || !printable(first)) {
      diag::Diagnostic& d =
          diags_.error(Code::E0101, at,
                       fmt::format("unexpected character U+{:04X}{}", static_cast<uint32_t>(first),
                                   invisible_name(first)));
      if (first == 0xA0) d.with_fix("write an ordinary space", at, " ");
      return;
    }
    diag::Diagnostic& d = diags_.error(
        Code::E0101, at,
        first == '`' ? std::string("unexpected character `` ` ``")
                     : fmt::format("unexpected character `{}`", text_.substr(start, pos_ - start)));
    switch (first) {
      case '$':
        d.with_label("`${...}` interpolates only inside a string");
        break;
      case ';':
        d.with_label("items are separated by line breaks or commas")
            .with_fix("remove the `;`", at, "");
        break;
      case '&':
        d.with_label("the logical and is `&&`").with_fix("write `&&`", at, "&&");
        break;
      case '|':
        d.with_label("the logical or is `||`").with_fix("write `||`", at, "||");
        break;
      case '\\':
        d.with_label("`\\` escapes characters only inside a string");
        break;
      case '\'':
        d.with_label("strings are written in double quotes");
        break;
      case 0x2018:
      case 0x2019:
      case 0x201C:
      case 0x201D:
        d.with_label("strings are written in straight double quotes `\"`");
        break;
      default:
        break;
    }
  }

  // `'text'`, `‘text’`, `“text”`: one diagnostic that asks for double quotes, one BAD_LITERAL.
  void wrongly_quoted(int family, uint32_t quote_length) {
    uint32_t start = pos_;
    uint32_t i = start + quote_length;
    uint32_t close_length = 0;
    while (i < n_ && text_[i] != '\n' && text_[i] != '\r') {
      if (wrong_quote(text_, i, &close_length) == family) break;
      ++i;
    }
    if (i >= n_ || text_[i] == '\n' || text_[i] == '\r') {
      stray();
      return;
    }
    uint32_t end = i + close_length;
    pos_ = end;
    std::string_view quote = text_.substr(start, quote_length);
    std::string_view content = text_.substr(start + quote_length, i - start - quote_length);
    Span at = span(start, end);
    diag::Diagnostic& d =
        diags_.error(Code::E0101, at, fmt::format("unexpected character `{}`", quote));
    d.with_label(family == 1 ? "strings are written in double quotes"
                             : "strings are written in straight double quotes `\"`");
    if (content.find_first_of("\"\\") == std::string_view::npos) {
      std::string fixed = fmt::format("\"{}\"", content);
      d.with_fix(fmt::format("write `{}`", fixed), at, fixed);
    }
    emit(TokenKind::BAD_LITERAL, start, end, true);
  }

  std::string_view text_;
  uint32_t n_;
  source::FileId file_;
  diag::Diagnostics& diags_;
  bool too_large_;
  LexResult out_;

  uint32_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t line_begin_ = 0;
  uint32_t tok_line_ = 1;        // line of the token being lexed
  uint32_t tok_line_begin_ = 0;  // and the offset where that line begins
  uint32_t last_end_line_ = 0;   // line where the last token ended; 0 before the first
  bool pending_reported_ = false;
  bool string_reported_ = false;
  bool depth_reported_ = false;
  uint32_t unterminated_line_ = 0;  // line of the last E0102
  std::vector<OpenString> open_;
};

}  // namespace

std::string_view spelling(TokenKind kind) {
  static constexpr std::string_view kSpellings[] = {
#define KC_TOKEN(name, text) text,
#include "compiler/syntax/token_kinds.def"
#undef KC_TOKEN
  };
  auto index = static_cast<size_t>(kind);
  return index < std::size(kSpellings) ? kSpellings[index] : std::string_view("a token");
}

LexResult lex(std::string_view text, source::FileId file, diag::Diagnostics& diags) {
  return Lexer(text, file, diags).run();
}

StringTokenText string_token_text(TokenKind kind, std::string_view token_text, bool triple) {
  StringTokenText out;
  size_t open = 0;
  bool interpolation_after = false;
  switch (kind) {
    case TokenKind::STRING:
    case TokenKind::STRING_OPEN:
      triple = token_text.starts_with("\"\"\"");
      open = triple ? 3 : 1;
      interpolation_after = kind == TokenKind::STRING_OPEN;
      break;
    case TokenKind::STRING_MIDDLE:
      open = 1;
      interpolation_after = true;
      break;
    case TokenKind::STRING_CLOSE:
      open = 1;
      break;
    default:
      return out;
  }
  out.triple = triple;
  std::string_view body = token_text.substr(std::min(open, token_text.size()));
  if (interpolation_after) {
    if (body.ends_with("${")) body.remove_suffix(2);
    out.raw = body;
    out.terminated = true;
    return out;
  }
  // The closing quote(s) are there when the text ends in them and no backslash escapes the first.
  size_t quotes = triple ? 3 : 1;
  if (body.size() >= quotes && body.ends_with(triple ? "\"\"\"" : "\"")) {
    size_t backslashes = 0;
    size_t i = body.size() - quotes;
    while (i > 0 && body[i - 1] == '\\') {
      ++backslashes;
      --i;
    }
    if (backslashes % 2 == 0) {
      body.remove_suffix(quotes);
      out.terminated = true;
    }
  }
  out.raw = body;
  return out;
}

}  // namespace kc::syntax
