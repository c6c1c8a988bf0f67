// Versions: the `v`-prefixed semver literal, its canonical form (build metadata dropped) and
// semver 2.0 precedence.
#include <fmt/format.h>

#include <algorithm>

#include "providers/sdk/split.h"
#include "providers/sdk/value.h"

namespace kc::sdk {

namespace {

std::nullopt_t fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool identifier_chars(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  });
}

// Checks the dot-separated identifiers of a prerelease or build part; empty when they are fine.
std::string check_identifiers(std::string_view part, std::string_view what, std::string_view text,
                              bool numeric_leading_zero_ok) {
  for (std::string_view id : split(part, '.')) {
    if (id.empty()) {
      return fmt::format("empty {} identifier in `{}`: write one such as `v1.30.0-rc.1`", what,
                         text);
    }
    if (!identifier_chars(id)) {
      return fmt::format("{} identifiers use only letters, digits and `-`: `{}` in `{}`", what, id,
                         text);
    }
    if (!numeric_leading_zero_ok && all_digits(id) && id.size() > 1 && id[0] == '0') {
      return fmt::format("the numeric {} identifier `{}` in `{}` has a leading zero", what, id,
                         text);
    }
  }
  return {};
}

// Compares two numeric identifiers of any length without converting them.
int compare_numeric(std::string_view a, std::string_view b) {
  a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
  b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::string to_string(const Version& v) {
  std::string out = fmt::format("v{}.{}.{}", v.major, v.minor, v.patch);
  if (!v.prerelease.empty()) out += fmt::format("-{}", v.prerelease);
  return out;
}

std::optional<Version> parse_version(std::string_view text, std::string* error) {
  if (text.empty()) return fail(error, "a version cannot be empty: write one such as `v1.29.4`");
  if (text.front() == 'V') {
    return fail(error, fmt::format("write versions with a lower-case `v`: `v{}`", text.substr(1)));
  }
  if (text.front() != 'v') {
    return fail(error, fmt::format("write versions with a leading `v`: `v{}`", text));
  }
  std::string_view rest = text.substr(1);
  size_t core_end = std::min(rest.find_first_of("-+"), rest.size());
  std::string_view core = rest.substr(0, core_end);
  std::string_view tail = rest.substr(core_end);  // "-rc.1+build" or ""

  std::vector<std::string_view> numbers = split(core, '.');
  for (std::string_view n : numbers) {
    if (!all_digits(n)) {
      return fail(error, fmt::format("`{}` is not a version: write major.minor.patch numbers after "
                                     "the `v`, such as `v1.29.4`",
                                     text));
    }
  }
  if (numbers.size() < 3) {
    std::string fixed = fmt::format("v{}", core);
    for (size_t i = numbers.size(); i < 3; ++i)
      fixed += ".0";
    return fail(error, fmt::format("a version needs three numbers: write `{}{}`", fixed, tail));
  }
  if (numbers.size() > 3) {
    return fail(error, fmt::format("a version has exactly three numbers (major.minor.patch); `{}` "
                                   "has {}",
                                   text, numbers.size()));
  }
  Version out;
  int64_t* fields[] = {&out.major, &out.minor, &out.patch};
  for (size_t i = 0; i < 3; ++i) {
    std::string_view n = numbers[i];
    if (n.size() > 1 && n[0] == '0') {
      std::string fixed = "v";
      for (size_t j = 0; j < 3; ++j) {
        std::string_view part = numbers[j];
        part.remove_prefix(std::min(part.find_first_not_of('0'), part.size() - 1));
        fixed += fmt::format("{}{}", j > 0 ? "." : "", part);
      }
      return fail(error,
                  fmt::format("version numbers have no leading zeros: write `{}{}`", fixed, tail));
    }
    int64_t value = 0;
    for (char c : n) {
      if (__builtin_mul_overflow(value, int64_t{10}, &value) ||
          __builtin_add_overflow(value, int64_t{c - '0'}, &value)) {
        return fail(error, fmt::format("the version number `{}` in `{}` is too large", n, text));
      }
    }
    *fields[i] = value;
  }

  std::string_view prerelease;
  std::string_view build;
  if (!tail.empty() && tail.front() == '-') {
    size_t plus = tail.find('+');
    prerelease = tail.substr(1, plus == std::string_view::npos ? std::string_view::npos : plus - 1);
    tail = plus == std::string_view::npos ? std::string_view() : tail.substr(plus);
    if (std::string problem = check_identifiers(prerelease, "prerelease", text, false);
        !problem.empty()) {
      return fail(error, problem);
    }
  }
  if (!tail.empty()) {  // starts with '+'
    build = tail.substr(1);
    if (std::string problem = check_identifiers(build, "build", text, true); !problem.empty()) {
      return fail(error, problem);
    }
  }
  out.prerelease = std::string(prerelease);
  return out;
}

int compare(const Version& a, const Version& b) {
  for (auto [x, y] :
       {std::pair{a.major, b.major}, std::pair{a.minor, b.minor}, std::pair{a.patch, b.patch}}) {
    if (x != y) return x < y ? -1 : 1;
  }
  // A release ranks above its prereleases.
  if (a.prerelease.empty() || b.prerelease.empty()) {
    if (a.prerelease.empty() && b.prerelease.empty()) return 0;
    return a.prerelease.empty() ? 1 : -1;
  }
  std::vector<std::string_view> xs = split(a.prerelease, '.');
  std::vector<std::string_view> ys = split(b.prerelease, '.');
  for (size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    bool x_numeric = all_digits(xs[i]);
    bool y_numeric = all_digits(ys[i]);
    int c = 0;
    if (x_numeric && y_numeric) {
      c = compare_numeric(xs[i], ys[i]);
    } else if (x_numeric != y_numeric) {
      c = x_numeric ? -1 : 1;  // numeric identifiers rank below alphanumeric ones
    } else {
      int raw = xs[i].compare(ys[i]);
      c = raw < 0 ? -1 : (raw > 0 ? 1 : 0);
    }
    if (c != 0) return c;
  }
  if (xs.size() == ys.size()) return 0;
  return xs.size() < ys.size() ? -1 : 1;
}

}  // namespace kc::sdk
