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

char32_t hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<char32_t>(c - '0');
  return static_cast<char32_t>(std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
}

// Decodes the escapes of `s`, which starts `base` bytes into the token, appending to `out`.
void decode_escapes(std::string_view s, uint32_t base, std::string& out,
                    std::vector<LiteralProblem>& problems) {
  size_t i = 0;
  while (i < s.size()) {
    size_t slash = s.find('\\', i);
    utf8::append_valid(out, s.substr(i, slash == std::string_view::npos ? slash : slash - i));
    if (slash == std::string_view::npos) return;
    i = slash;
    auto problem = [&](size_t end, std::string message) {
      problems.push_back({base + static_cast<uint32_t>(slash), base + static_cast<uint32_t>(end),
                          std::move(message)});
    };
    if (i + 1 >= s.size()) {
      problem(i + 1, fmt::format("`\\` at the end of a line escapes nothing ({})", kEscapes));
      return;
    }
    char c = s[i + 1];
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '$':
        out += '$';
        break;
      case 'u': {
        size_t j = i + 2;
        bool ok = j < s.size() && s[j] == '{';
        size_t digits_start = ++j;
        while (ok && j < s.size() && is_hex(s[j]) && j - digits_start < 7)
          ++j;
        size_t digits = j - digits_start;
        ok = ok && digits >= 1 && digits <= 6 && j < s.size() && s[j] == '}';
        char32_t cp = 0;
        if (ok) {
          for (size_t k = digits_start; k < j; ++k)
            cp = cp * 16 + hex_value(s[k]);
          ok = cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (!ok) {
          size_t end = std::min(
              s.size(), s.find('}', i) == std::string_view::npos ? i + 2 : s.find('}', i) + 1);
          problem(end,
                  "invalid unicode escape: write `\\u{` with 1 to 6 hex digits of a code "
                  "point and `}`, such as `\\u{1F600}`");
          i = end;
          continue;
        }
        utf8::append(out, cp);
        i = j + 1;
        continue;
      }
      default: {
        uint32_t length = utf8::decode(s, i + 1).length;
        problem(i + 1 + length, fmt::format("unknown escape `\\{}` ({})",
                                            std::string(s.substr(i + 1, length)), kEscapes));
        i += 1 + length;
        continue;
      }
    }
    i += 2;
  }
}

struct Line {
  uint32_t offset;  // in the token text
  std::string_view text;
};

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

DecodedString decode_triple(std::string_view text, bool terminated) {
  DecodedString result;
  uint32_t offset = 3;
  std::string_view content = text.substr(3, text.size() - 3 - (terminated ? 3 : 0));
  if (content.starts_with("\r\n")) {
    content.remove_prefix(2), offset += 2;
  } else if (content.starts_with('\n')) {
    content.remove_prefix(1), offset += 1;
  }

  std::vector<Line> lines;
  size_t start = 0;
  while (true) {
    size_t nl = content.find('\n', start);
    std::string_view line = content.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back({offset + static_cast<uint32_t>(start), line});
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }

  // A closing `"""` on a line of its own: its indentation counts, its line is empty.
  bool closing_line = terminated && lines.size() > 1 && all_blank(lines.back().text);
  std::optional<std::string_view> indent;
  if (lines.size() > 1) {
    for (size_t i = 0; i < lines.size(); ++i) {
      bool last = i + 1 == lines.size();
      if (all_blank(lines[i].text) && !(last && closing_line)) continue;
      std::string_view lead = leading_blanks(lines[i].text);
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

  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) result.value += '\n';
    const Line& line = lines[i];
    if (lines.size() > 1 && all_blank(line.text)) continue;
    decode_escapes(line.text.substr(strip), line.offset + static_cast<uint32_t>(strip),
                   result.value, result.problems);
  }
  return result;
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

// The one spelling an sdk message suggests ("... write `v1.29.0`"), or empty when it offers none
// or several.
std::string suggested_spelling(const std::string& message) {
  size_t write = message.find("write `");
  if (write == std::string::npos) return {};
  size_t begin = write + 7;
  size_t end = message.find('`', begin);
  if (end == std::string::npos) return {};
  if (message.find('`', end + 1) != std::string::npos) return {};
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
      number.find("__") != std::string_view::npos) {
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

DecodedString decode_string(std::string_view text, bool terminated) {
  if (text.starts_with("\"\"\"")) return decode_triple(text, terminated);
  DecodedString result;
  size_t close = terminated && text.size() >= 2 ? 1 : 0;
  decode_escapes(text.substr(1, text.size() - 1 - close), 1, result.value, result.problems);
  return result;
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
