// Values of literal tokens: string escapes and dedent, integers, floats and domain literals.
#include "compiler/syntax/literals.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "compiler/syntax/utf8.h"
#include "providers/sdk/value.h"

namespace kc::syntax {

namespace {

constexpr std::string_view kEscapes = "escapes are \\n \\t \\r \\\" \\\\ \\$ and \\u{...}";

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

char32_t hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<char32_t>(c - '0');
  return static_cast<char32_t>(std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
}

// A character as a message may quote it: itself when printable, else its code point.
std::string describe_escaped(std::string_view text, size_t at, uint32_t* length) {
  utf8::Decoded d = utf8::decode(text, at);
  *length = d.length;
  if (!d.valid) {
    return fmt::format("`\\` followed by the invalid UTF-8 byte 0x{:02X}",
                       static_cast<unsigned char>(text[at]));
  }
  char32_t cp = d.code_point;
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
    return fmt::format("`\\` followed by U+{:04X}", static_cast<uint32_t>(cp));
  }
  return fmt::format("`\\{}`", text.substr(at, d.length));
}

// Decodes the escapes of `s`, which starts `base` bytes into the token, appending to `out`.
void decode_escapes(std::string_view s, uint32_t base, std::string& out,
                    std::vector<LiteralProblem>* problems) {
  size_t i = 0;
  while (i < s.size()) {
    size_t slash = s.find('\\', i);
    utf8::append_valid(out, s.substr(i, slash == std::string_view::npos ? slash : slash - i));
    if (slash == std::string_view::npos) return;
    Escape escape = scan_escape(s, slash);
    if (escape.valid) {
      utf8::append(out, escape.value);
    } else if (problems != nullptr) {
      problems->push_back({base + static_cast<uint32_t>(slash),
                           base + static_cast<uint32_t>(slash + escape.length),
                           std::move(escape.problem)});
    }
    i = slash + escape.length;
  }
}

bool all_blank(std::string_view s) {
  for (char c : s) {
    if (!is_blank(c)) return false;
  }
  return true;
}

std::string_view leading_blanks(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && is_blank(s[n]))
    ++n;
  return s.substr(0, n);
}

// Raw text of one literal part of a string, at `base` bytes into its token (for problems).
struct RawPart {
  std::string_view text;
  uint32_t base = 0;
};

// Decodes the parts of a triple-quoted string into out[i] (one per part): drops the line break
// after the opening quotes and the indentation common to the lines, where an interpolation (the
// boundary between two parts) is non-blank text.
void decode_triple_parts(std::vector<RawPart> parts, bool terminated, std::vector<std::string>& out,
                         std::vector<LiteralProblem>* problems) {
  out.assign(parts.size(), std::string());
  if (parts.empty()) return;
  if (parts[0].text.starts_with("\r\n")) {
    parts[0].text.remove_prefix(2), parts[0].base += 2;
  } else if (parts[0].text.starts_with('\n')) {
    parts[0].text.remove_prefix(1), parts[0].base += 1;
  }

  // A line is a run of fragments, one per part it touches; consecutive fragments of a line are
  // separated by an interpolation.
  struct Fragment {
    uint32_t part;
    std::string_view text;
    uint32_t base;
  };
  struct Line {
    size_t first = 0;  // index into fragments
    size_t count = 0;
    bool interpolation = false;
    int newline_part = -1;  // the part holding the line break that ends it; -1 for the last line
  };
  std::vector<Fragment> fragments;
  std::vector<Line> lines(1);
  for (uint32_t p = 0; p < parts.size(); ++p) {
    std::string_view text = parts[p].text;
    size_t start = 0;
    while (true) {
      size_t nl = text.find('\n', start);
      std::string_view piece = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
      bool line_ends = nl != std::string_view::npos || p + 1 == parts.size();
      if (line_ends && piece.ends_with('\r')) piece.remove_suffix(1);
      fragments.push_back({p, piece, parts[p].base + static_cast<uint32_t>(start)});
      ++lines.back().count;
      if (nl == std::string_view::npos) break;
      lines.back().newline_part = static_cast<int>(p);
      lines.push_back(Line{fragments.size(), 0, false, -1});
      start = nl + 1;
    }
    if (p + 1 < parts.size()) lines.back().interpolation = true;
  }
  auto blank = [&](const Line& line) {
    if (line.interpolation) return false;
    for (size_t f = line.first; f < line.first + line.count; ++f) {
      if (!all_blank(fragments[f].text)) return false;
    }
    return true;
  };

  // A closing `"""` on a line of its own: its indentation counts, its line is empty.
  bool multiline = lines.size() > 1;
  bool closing_line = terminated && multiline && blank(lines.back());
  std::optional<std::string_view> indent;
  if (multiline) {
    for (size_t i = 0; i < lines.size(); ++i) {
      bool last = i + 1 == lines.size();
      if (blank(lines[i]) && !(last && closing_line)) continue;
      std::string_view lead = leading_blanks(fragments[lines[i].first].text);
      if (!indent) {
        indent = lead;
      } else {
        size_t n = 0;
        while (n < indent->size() && n < lead.size() && (*indent)[n] == lead[n])
          ++n;
        indent = indent->substr(0, n);
      }
    }
  }
  size_t strip = indent ? indent->size() : 0;

  for (const Line& line : lines) {
    if (!multiline || !blank(line)) {
      for (size_t f = line.first; f < line.first + line.count; ++f) {
        const Fragment& fragment = fragments[f];
        size_t cut = f == line.first ? std::min(strip, fragment.text.size()) : 0;
        decode_escapes(fragment.text.substr(cut), fragment.base + static_cast<uint32_t>(cut),
                       out[fragment.part], problems);
      }
    }
    if (line.newline_part >= 0) out[static_cast<size_t>(line.newline_part)] += '\n';
  }
}

std::string strip_underscores(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The one spelling an sdk message suggests ("... write `v1.29.0`", "write `1h1m` for `1m1h`"), or
// empty when it offers none or several ("write `16G` (10^9 bytes) or `16Gi` ...").
std::string suggested_spelling(const std::string& message) {
  size_t write = message.find("write `");
  if (write == std::string::npos) return {};
  size_t begin = write + 7;
  size_t end = message.find('`', begin);
  if (end == std::string::npos) return {};
  std::string_view rest = std::string_view(message).substr(end + 1);
  if (rest.find(" or `") != std::string_view::npos || rest.starts_with(", `")) return {};
  return message.substr(begin, end - begin);
}

template <typename Parser>
DomainCheck run(Parser parser, std::string_view text, ast::DomainLit::Kind kind) {
  DomainCheck check;
  std::string error;
  if (parser(text, &error)) {
    check.kind = kind;
    return check;
  }
  check.error = error.empty() ? fmt::format("`{}` is not a valid literal", text) : error;
  std::string replacement = suggested_spelling(check.error);
  if (!replacement.empty() && replacement != text && parser(replacement, nullptr)) {
    check.replacement = replacement;
  }
  return check;
}

DomainCheck check_duration(std::string_view text) {
  return run(
      [](std::string_view t, std::string* e) { return sdk::parse_duration(t, e).has_value(); },
      text, ast::DomainLit::Kind::Duration);
}
DomainCheck check_bytes(std::string_view text) {
  return run([](std::string_view t, std::string* e) { return sdk::parse_bytes(t, e).has_value(); },
             text, ast::DomainLit::Kind::Bytes);
}
DomainCheck check_percent(std::string_view text) {
  return run(
      [](std::string_view t, std::string* e) { return sdk::parse_percent(t, e).has_value(); }, text,
      ast::DomainLit::Kind::Percent);
}
DomainCheck check_version(std::string_view text) {
  return run(
      [](std::string_view t, std::string* e) { return sdk::parse_version(t, e).has_value(); }, text,
      ast::DomainLit::Kind::Version);
}
DomainCheck check_ip(std::string_view text) {
  return run([](std::string_view t, std::string* e) { return sdk::parse_ip(t, e).has_value(); },
             text, ast::DomainLit::Kind::Ip);
}
DomainCheck check_cidr(std::string_view text) {
  return run([](std::string_view t, std::string* e) { return sdk::parse_cidr(t, e).has_value(); },
             text, ast::DomainLit::Kind::Cidr);
}

// A number glued to letters, or dotted numbers that are no address: judged by what it looks like.
DomainCheck check_bad_number(std::string_view text) {
  size_t dots = std::count(text.begin(), text.end(), '.');
  if (text.find('/') != std::string_view::npos) return check_cidr(text);
  if (dots >= 2) return check_ip(text);
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return {std::nullopt,
            fmt::format("`{}` is not a hexadecimal integer: write `0x` followed by the digits 0-9 "
                        "and a-f, such as `0x1f`",
                        text),
            {}};
  }
  size_t number_end = text.find_first_not_of("0123456789._");
  std::string_view number = text.substr(0, number_end);
  std::string_view unit = number_end == std::string_view::npos ? "" : text.substr(number_end);
  if (number.ends_with('_') || unit.starts_with('_') ||
      number.find("__") != std::string_view::npos || number.find("_.") != std::string_view::npos) {
    return {
        std::nullopt,
        fmt::format("misplaced `_` in `{}`: underscores go between digits, as in `1_000`", text),
        {}};
  }
  std::string word = lower(unit);
  if (word.empty()) return check_ip(text);
  bool bytes_like = word.ends_with('b') || word.ends_with("byte") || word.ends_with("bytes") ||
                    word == "k" || (word.size() == 2 && word[1] == 'i') ||
                    std::string_view("KMGTPE").find(unit.front()) != std::string_view::npos;
  if (bytes_like) return check_bytes(text);
  if (std::string_view("smhdwun").find(word.front()) != std::string_view::npos) {
    return check_duration(text);
  }
  return {std::nullopt,
          fmt::format("`{}` is not a number: only durations (units ms s m h d) and data sizes "
                      "(units k M G T P E, Ki Mi Gi Ti Pi Ei) are written with a unit",
                      text),
          {}};
}

}  // namespace

Escape scan_escape(std::string_view text, size_t at) {
  Escape escape;
  if (at + 1 >= text.size() || text[at + 1] == '\n' || text[at + 1] == '\r') {
    escape.problem = fmt::format("`\\` at the end of a line escapes nothing ({})", kEscapes);
    return escape;
  }
  escape.length = 2;
  escape.valid = true;
  switch (text[at + 1]) {
    case 'n':
      escape.value = '\n';
      return escape;
    case 't':
      escape.value = '\t';
      return escape;
    case 'r':
      escape.value = '\r';
      return escape;
    case '"':
      escape.value = '"';
      return escape;
    case '\\':
      escape.value = '\\';
      return escape;
    case '$':
      escape.value = '$';
      return escape;
    case 'u': {
      size_t open = at + 2;
      if (open < text.size() && text[open] == '{') {
        size_t j = open + 1;
        while (j < text.size() && is_hex(text[j]) && j - open <= 7)
          ++j;
        size_t digits = j - open - 1;
        if (digits >= 1 && digits <= 6 && j < text.size() && text[j] == '}') {
          char32_t cp = 0;
          for (size_t k = open + 1; k < j; ++k)
            cp = cp * 16 + hex_value(text[k]);
          if (cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
            escape.value = cp;
            escape.length = static_cast<uint32_t>(j + 1 - at);
            return escape;
          }
        }
      }
      // The bad escape covers `\u`, and its braces with what is between them when they are there.
      size_t end = open;
      if (end < text.size() && text[end] == '{') {
        ++end;
        while (end < text.size() && is_alnum(text[end]) && end - open <= 16)
          ++end;
        if (end < text.size() && text[end] == '}') ++end;
      }
      escape.valid = false;
      escape.length = static_cast<uint32_t>(end - at);
      escape.problem =
          "invalid unicode escape: write `\\u{` with 1 to 6 hex digits of a code point and `}`, "
          "such as `\\u{1F600}`";
      return escape;
    }
    default: {
      uint32_t length = 1;
      std::string what = describe_escaped(text, at + 1, &length);
      escape.valid = false;
      escape.length = 1 + length;
      escape.problem = fmt::format("unknown escape {} ({})", what, kEscapes);
      return escape;
    }
  }
}

DecodedString decode_string(std::string_view text, bool terminated) {
  DecodedString result;
  if (text.starts_with("\"\"\"")) {
    size_t close = terminated && text.size() >= 6 ? 3 : 0;
    std::vector<std::string> out;
    decode_triple_parts({RawPart{text.substr(3, text.size() - 3 - close), 3}}, terminated, out,
                        &result.problems);
    result.value = std::move(out[0]);
    return result;
  }
  size_t close = terminated && text.size() >= 2 ? 1 : 0;
  std::string_view content = text.empty() ? text : text.substr(1, text.size() - 1 - close);
  decode_escapes(content, 1, result.value, &result.problems);
  return result;
}

std::vector<std::string> decode_string_parts(const std::vector<std::string_view>& raw_parts,
                                             bool triple, bool terminated) {
  std::vector<std::string> out;
  if (triple) {
    std::vector<RawPart> parts;
    parts.reserve(raw_parts.size());
    for (std::string_view raw : raw_parts)
      parts.push_back({raw, 0});
    decode_triple_parts(std::move(parts), terminated, out, nullptr);
    return out;
  }
  out.resize(raw_parts.size());
  for (size_t i = 0; i < raw_parts.size(); ++i)
    decode_escapes(raw_parts[i], 0, out[i], nullptr);
  return out;
}

std::optional<int64_t> parse_int(std::string_view text, std::string* error) {
  bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  std::string digits = strip_underscores(hex ? text.substr(2) : text);
  uint64_t value = 0;
  auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
  bool fits = ec == std::errc() && end == digits.data() + digits.size() &&
              value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (!fits) {
    if (error != nullptr) {
      *error = ec == std::errc::result_out_of_range || ec == std::errc()
                   ? fmt::format(
                         "the integer `{}` does not fit in 64 bits (the largest int is "
                         "9223372036854775807)",
                         text)
                   : fmt::format("`{}` is not an integer", text);
    }
    return std::nullopt;
  }
  return static_cast<int64_t>(value);
}

std::optional<double> parse_float(std::string_view text, std::string* error) {
  std::string digits = strip_underscores(text);
  double value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    if (error != nullptr) {
      *error = ec == std::errc::result_out_of_range
                   ? fmt::format("the number `{}` is out of the range of a float", text)
                   : fmt::format("`{}` is not a number", text);
    }
    return std::nullopt;
  }
  return value;
}

DomainCheck check_domain(std::string_view text, DomainShape shape) {
  switch (shape) {
    case DomainShape::Duration:
      return check_duration(text);
    case DomainShape::Bytes:
      return check_bytes(text);
    case DomainShape::Percent:
      return check_percent(text);
    case DomainShape::Version:
      return check_version(text);
    case DomainShape::Ip:
      return check_ip(text);
    case DomainShape::Cidr:
      return check_cidr(text);
    case DomainShape::BadVersion:
      return check_version(text);
    case DomainShape::BadNumber:
      return check_bad_number(text);
  }
  return {};
}

}  // namespace kc::syntax
