// Durations, data sizes, percents and floats: canonical text forms (LANGUAGE.md 8a) and the parsers
// of their literals (LANGUAGE.md 2), with errors that say how to write the value.
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "providers/sdk/value.h"

namespace kc::sdk {

namespace {

struct Unit {
  std::string_view name;
  uint64_t factor;
};

// Largest first: the order of the canonical forms.
constexpr std::array<Unit, 5> kDurationUnits = {{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
    {"ms", 1},
}};

constexpr uint64_t kKi = 1024;
constexpr std::array<Unit, 6> kBinaryUnits = {{
    {"Ei", kKi* kKi* kKi* kKi* kKi* kKi},
    {"Pi", kKi* kKi* kKi* kKi* kKi},
    {"Ti", kKi* kKi* kKi* kKi},
    {"Gi", kKi* kKi* kKi},
    {"Mi", kKi* kKi},
    {"Ki", kKi},
}};
constexpr std::array<Unit, 6> kDecimalUnits = {{
    {"E", 1'000'000'000'000'000'000},
    {"P", 1'000'000'000'000'000},
    {"T", 1'000'000'000'000},
    {"G", 1'000'000'000},
    {"M", 1'000'000},
    {"k", 1'000},
}};

// The largest magnitude of an int64, as a negative value can hold one more than a positive one.
constexpr uint64_t magnitude_limit(bool negative) {
  return negative ? uint64_t{1} << 63 : static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

uint64_t magnitude(int64_t v) {
  return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

int64_t signed_value(uint64_t mag, bool negative) {
  return negative ? static_cast<int64_t>(uint64_t{0} - mag) : static_cast<int64_t>(mag);
}

std::nullopt_t fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One `NUMBER UNIT` piece of a literal: digits with single underscores between them, an optional
// fraction (only to say it is not allowed) and a run of letters.
struct Piece {
  std::string_view digits;    // as written, underscores included
  std::string_view fraction;  // the digits after a '.', when there is one
  bool has_fraction = false;
  std::string_view unit;
};

// Splits `text` into pieces; false when something other than digits and letters is in the way.
bool split_pieces(std::string_view text, std::vector<Piece>& out) {
  size_t i = 0;
  auto is_digit = [&](size_t at) {
    return at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]));
  };
  auto is_alpha = [&](size_t at) {
    return at < text.size() && std::isalpha(static_cast<unsigned char>(text[at]));
  };
  while (i < text.size()) {
    Piece piece;
    size_t start = i;
    if (!is_digit(i)) return false;
    while (is_digit(i) || (i < text.size() && text[i] == '_'))
      ++i;
    piece.digits = text.substr(start, i - start);
    if (i < text.size() && text[i] == '.') {
      piece.has_fraction = true;
      size_t fraction_start = ++i;
      while (is_digit(i))
        ++i;
      piece.fraction = text.substr(fraction_start, i - fraction_start);
      if (piece.fraction.empty()) return false;
    }
    start = i;
    while (is_alpha(i))
      ++i;
    piece.unit = text.substr(start, i - start);
    out.push_back(piece);
  }
  return !out.empty();
}

// Underscores may only separate digits: `1_000`, not `1__000` or `1_`.
bool well_placed_underscores(std::string_view digits) {
  if (digits.empty() || digits.back() == '_') return false;
  return digits.find("__") == std::string_view::npos;
}

// Digits (underscores skipped) as an unsigned number; false on overflow.
bool parse_digits(std::string_view digits, uint64_t& out) {
  out = 0;
  for (char c : digits) {
    if (c == '_') continue;
    if (__builtin_mul_overflow(out, uint64_t{10}, &out)) return false;
    if (__builtin_add_overflow(out, static_cast<uint64_t>(c - '0'), &out)) return false;
  }
  return true;
}

// `12.5` of a piece as a double, for suggesting a whole-number spelling.
double piece_number(const Piece& piece) {
  std::string text;
  for (char c : piece.digits) {
    if (c != '_') text += c;
  }
  if (piece.has_fraction) text += fmt::format(".{}", piece.fraction);
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// The unit a user probably meant by `unit` ("mins" -> "m"); empty when there is no good guess.
std::string_view canonical_duration_unit(std::string_view unit) {
  struct Spelling {
    std::string_view word;
    std::string_view unit;
  };
  static constexpr Spelling kSpellings[] = {
      {"ms", "ms"},
      {"msec", "ms"},
      {"msecs", "ms"},
      {"millis", "ms"},
      {"millisecond", "ms"},
      {"milliseconds", "ms"},
      {"s", "s"},
      {"sec", "s"},
      {"secs", "s"},
      {"second", "s"},
      {"seconds", "s"},
      {"m", "m"},
      {"min", "m"},
      {"mins", "m"},
      {"minute", "m"},
      {"minutes", "m"},
      {"h", "h"},
      {"hr", "h"},
      {"hrs", "h"},
      {"hour", "h"},
      {"hours", "h"},
      {"d", "d"},
      {"day", "d"},
      {"days", "d"},
  };
  std::string word = lower(unit);
  for (const Spelling& spelling : kSpellings) {
    if (word == spelling.word) return spelling.unit;
  }
  return {};
}

const Unit* find_unit(std::string_view name, const auto& units) {
  for (const Unit& u : units) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

}  // namespace

// ---- Floats ----

std::string format_float(double f) {
  std::array<char, 64> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), f);
  return std::string(buffer.data(), result.ptr);
}

// ---- Durations ----

std::string to_string(Duration d) {
  if (d.ms == 0) return "0s";
  std::string out = d.ms < 0 ? "-" : "";
  uint64_t rest = magnitude(d.ms);
  for (const Unit& unit : kDurationUnits) {
    if (rest >= unit.factor) {
      out += fmt::format("{}{}", rest / unit.factor, unit.name);
      rest %= unit.factor;
    }
  }
  return out;
}

std::optional<Duration> parse_duration(std::string_view text, std::string* error) {
  constexpr std::string_view kUnits = "units are ms, s, m, h and d";
  if (text.empty()) return fail(error, "a duration cannot be empty: write one such as `30s`");
  bool negative = text.front() == '-';
  std::string_view body = negative ? text.substr(1) : text;
  std::vector<Piece> pieces;
  if (!split_pieces(body, pieces)) {
    return fail(error, fmt::format("`{}` is not a duration: write a whole number glued to a unit, "
                                   "such as `30s` or `1h30m`",
                                   text));
  }

  // Unit spellings first, so `5mins` gets a rewrite of the whole literal.
  bool units_ok = true;
  bool all_mappable = true;
  std::string rewritten = negative ? "-" : "";
  std::string_view bad_unit;
  for (const Piece& piece : pieces) {
    if (piece.unit.empty()) {
      return fail(error, fmt::format("a duration needs a unit: write `{}s`, `{}m` or the like ({})",
                                     text, text, kUnits));
    }
    std::string_view canonical = canonical_duration_unit(piece.unit);
    if (canonical != piece.unit) {
      units_ok = false;
      if (bad_unit.empty()) bad_unit = piece.unit;
      if (canonical.empty()) all_mappable = false;
    }
    rewritten +=
        fmt::format("{}{}{}", piece.digits,
                    piece.has_fraction ? fmt::format(".{}", piece.fraction) : "", canonical);
  }
  if (!units_ok) {
    if (all_mappable) {
      return fail(error, fmt::format("unknown duration unit `{}` in `{}`: write `{}`", bad_unit,
                                     text, rewritten));
    }
    return fail(error,
                fmt::format("unknown duration unit `{}` in `{}` ({})", bad_unit, text, kUnits));
  }

  // Fractions are not literals, but a whole-millisecond value can be suggested.
  for (const Piece& piece : pieces) {
    if (!piece.has_fraction) continue;
    double total_ms = 0;
    for (const Piece& p : pieces) {
      total_ms += piece_number(p) * static_cast<double>(find_unit(p.unit, kDurationUnits)->factor);
    }
    if (total_ms == std::floor(total_ms) && total_ms < 9e15) {
      int64_t whole = static_cast<int64_t>(total_ms);
      return fail(error, fmt::format("a duration is written in whole units: write `{}` for `{}`",
                                     to_string(Duration{negative ? -whole : whole}), text));
    }
    return fail(error, fmt::format("a duration is written in whole units, down to milliseconds; "
                                   "`{}` is not a whole number of milliseconds",
                                   text));
  }

  uint64_t total = 0;
  bool ordered = true;
  size_t last_rank = 0;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& piece = pieces[i];
    if (!well_placed_underscores(piece.digits)) {
      return fail(error, fmt::format("misplaced `_` in `{}`: underscores go between digits, as in "
                                     "`1_000ms`",
                                     text));
    }
    const Unit* unit = find_unit(piece.unit, kDurationUnits);
    size_t rank = static_cast<size_t>(unit - kDurationUnits.data()) + 1;
    if (i > 0 && rank <= last_rank) ordered = false;
    last_rank = rank;
    uint64_t number = 0;
    uint64_t part = 0;
    if (!parse_digits(piece.digits, number) ||
        __builtin_mul_overflow(number, unit->factor, &part) ||
        __builtin_add_overflow(total, part, &total) || total > magnitude_limit(negative)) {
      return fail(error, fmt::format("the duration `{}` is too long to represent", text));
    }
  }
  Duration result{signed_value(total, negative)};
  if (!ordered) {
    return fail(error, fmt::format("the units of a duration go from largest to smallest, each at "
                                   "most once: write `{}` for `{}`",
                                   to_string(result), text));
  }
  return result;
}

// ---- Data sizes ----

std::string to_string(ByteSize b) {
  if (b.bytes == 0) return "0";
  std::string sign = b.bytes < 0 ? "-" : "";
  uint64_t mag = magnitude(b.bytes);
  for (const auto* units : {&kBinaryUnits, &kDecimalUnits}) {
    for (const Unit& unit : *units) {
      if (mag % unit.factor == 0) return fmt::format("{}{}{}", sign, mag / unit.factor, unit.name);
    }
  }
  return fmt::format("{}{}", sign, mag);
}

std::optional<ByteSize> parse_bytes(std::string_view text, std::string* error) {
  constexpr std::string_view kUnits =
      "units are k M G T P E (powers of 1000) and Ki Mi Gi Ti Pi Ei (powers of 1024)";
  if (text.empty()) return fail(error, "a data size cannot be empty: write one such as `512Mi`");
  bool negative = text.front() == '-';
  std::string_view body = negative ? text.substr(1) : text;
  std::vector<Piece> pieces;
  if (!split_pieces(body, pieces) || pieces.size() != 1) {
    return fail(error, fmt::format("`{}` is not a data size: write a whole number glued to a unit, "
                                   "such as `512Mi` or `100G`",
                                   text));
  }
  const Piece& piece = pieces.front();
  std::string_view sign = negative ? "-" : "";

  const Unit* unit = nullptr;
  static constexpr Unit kPlain{"", 1};
  if (piece.unit.empty()) {
    unit = &kPlain;
  } else if ((unit = find_unit(piece.unit, kBinaryUnits)) == nullptr &&
             (unit = find_unit(piece.unit, kDecimalUnits)) == nullptr) {
    // Suggest the unit that was probably meant: `16GB` -> `16G` or `16Gi`, `2KiB` -> `2Ki`.
    std::string word = lower(piece.unit);
    for (std::string_view suffix : {"bytes", "byte", "b"}) {
      if (word.size() > suffix.size() && word.ends_with(suffix)) {
        word.resize(word.size() - suffix.size());
        break;
      }
    }
    std::string number(piece.digits);
    if (piece.has_fraction) number += fmt::format(".{}", piece.fraction);
    if (word.size() == 1 && std::string_view("kmgtpe").find(word[0]) != std::string_view::npos) {
      char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      std::string decimal = word[0] == 'k' ? "k" : std::string(1, upper);
      int power = static_cast<int>(std::string_view("kmgtpe").find(word[0])) + 1;
      return fail(error, fmt::format("unknown size unit `{}` in `{}`: write `{}{}{}` (10^{} bytes) "
                                     "or `{}{}{}i` (2^{} bytes)",
                                     piece.unit, text, sign, number, decimal, power * 3, sign,
                                     number, upper, power * 10));
    }
    if (word.size() == 2 && word[1] == 'i' &&
        std::string_view("kmgtpe").find(word[0]) != std::string_view::npos) {
      char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      return fail(error, fmt::format("unknown size unit `{}` in `{}`: write `{}{}{}i`", piece.unit,
                                     text, sign, number, upper));
    }
    return fail(error,
                fmt::format("unknown size unit `{}` in `{}` ({})", piece.unit, text, kUnits));
  }

  if (piece.has_fraction) {
    double total = piece_number(piece) * static_cast<double>(unit->factor);
    if (total == std::floor(total) && total < 9e18) {
      auto whole = static_cast<int64_t>(total);
      return fail(error,
                  fmt::format("a data size is a whole number of its unit: write `{}` for `{}`",
                              to_string(ByteSize{negative ? -whole : whole}), text));
    }
    return fail(error, fmt::format("a data size is a whole number of bytes; `{}` is not", text));
  }
  if (!well_placed_underscores(piece.digits)) {
    return fail(error, fmt::format("misplaced `_` in `{}`: underscores go between digits, as in "
                                   "`1_000Mi`",
                                   text));
  }
  uint64_t number = 0;
  uint64_t total = 0;
  if (!parse_digits(piece.digits, number) || __builtin_mul_overflow(number, unit->factor, &total) ||
      total > magnitude_limit(negative)) {
    return fail(error, fmt::format("the data size `{}` is too large: sizes must be below 8Ei "
                                   "(2^63 bytes)",
                                   text));
  }
  return ByteSize{signed_value(total, negative)};
}

// ---- Percents ----

std::string to_string(Percent p) {
  return format_float(p.value) + "%";
}

std::optional<Percent> parse_percent(std::string_view text, std::string* error) {
  if (text.empty()) return fail(error, "a percent cannot be empty: write one such as `40%`");
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  // [-]DIGITS[.DIGITS]%
  size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  size_t digits_start = i;
  while (i < text.size() && is_digit(text[i]))
    ++i;
  bool ok = i > digits_start;
  if (ok && i < text.size() && text[i] == '.') {
    size_t fraction_start = ++i;
    while (i < text.size() && is_digit(text[i]))
      ++i;
    ok = i > fraction_start;
  }
  if (ok && i == text.size()) {
    return fail(error, fmt::format("a percent ends in `%`: write `{}%`", text));
  }
  if (!ok || i + 1 != text.size() || text[i] != '%') {
    return fail(error, fmt::format("`{}` is not a percent: write a number followed by `%`, such "
                                   "as `40%` or `12.5%`",
                                   text));
  }
  double value = 0;
  auto result = std::from_chars(text.data(), text.data() + i, value);
  if (result.ec != std::errc() || !std::isfinite(value)) {
    return fail(error, fmt::format("the percent `{}` is out of range", text));
  }
  return Percent{value};
}

}  // namespace kc::sdk
