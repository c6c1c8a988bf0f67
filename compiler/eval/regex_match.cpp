// regex_match.h on std::regex in libstdc++'s polynomial (Thompson NFA) mode, with a cache of
// compiled patterns.
#include "compiler/eval/regex_match.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <regex>
#include <unordered_map>

#include "compiler/eval/builtins.h"

namespace kc::eval {
namespace {

std::string describe(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  switch (code) {
    case rc::error_collate:
      return "it names an unknown collating element";
    case rc::error_ctype:
      return "it names an unknown character class";
    case rc::error_escape:
      return "it has an invalid escape or ends in a backslash";
    case rc::error_backref:
      return "it has an invalid back-reference";
    case rc::error_brack:
      return "a `[...]` is malformed or has no closing `]`";
    case rc::error_paren:
      // libstdc++ also reports a `*`, `+` or `?` with nothing before it this way.
      return "a `(` or `)` is unmatched, or a `*`, `+` or `?` has nothing to repeat";
    case rc::error_brace:
      return "its `{` and `}` do not match";
    case rc::error_badbrace:
      return "it has an invalid `{n,m}` repetition";
    case rc::error_range:
      return "it has an invalid character range";
    case rc::error_badrepeat:
      return "a `*`, `+`, `?` or `{n}` has nothing to repeat";
    case rc::error_complexity:
      // In polynomial mode this is what a back-reference gives.
      return "it uses a back-reference such as `\\1`, which `matches` does not support";
    default:  // error_space, error_stack
      return "it is too complex";
  }
}

// The largest `{n}` / `{n,m}` count in `pattern`, skipping escapes and bracket expressions; counts
// with more than 18 digits read as INT64_MAX.
int64_t largest_repeat_count(std::string_view pattern) {
  int64_t largest = 0;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // `[]...]`: a literal `]`
    } else if (c == '{') {
      int64_t n = 0;
      size_t digits = 0;
      for (size_t j = i + 1; j < pattern.size(); ++j) {
        char d = pattern[j];
        if (d >= '0' && d <= '9') {
          n = ++digits > 18 ? INT64_MAX : n * 10 + (d - '0');
        } else {
          largest = std::max(largest, n);
          n = 0;
          digits = 0;
          if (d != ',') break;
        }
      }
    }
  }
  return largest;
}

// libstdc++'s default executor backtracks recursively: exponential on `(a+)+$` and a stack overflow
// on long subjects. `__polynomial` runs a Thompson NFA instead, linear per starting position; a
// search as std::regex_search does it would still retry every position (quadratic), so the pattern
// P is wrapped as `[\s\S]*(?:P)[\s\S]*` and matched once. The wrapping keeps P's meaning because
// P alone must compile first (so its parentheses balance) and `^`/`$` only match at the ends.
constexpr auto kFlags =
    std::regex::ECMAScript | std::regex::nosubs | std::regex_constants::__polynomial;

// Compiled searchers by pattern. Evaluation is single-threaded per thread; a check block calls
// `matches` with the same pattern once per instance.
std::shared_ptr<const std::regex> compile(std::string_view pattern, std::string* error) {
  thread_local std::unordered_map<std::string, std::shared_ptr<const std::regex>> cache;
  std::string key(pattern);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  try {
    std::regex alone(key, kFlags);  // validates the pattern by itself (see the file comment)
    auto searcher = std::make_shared<const std::regex>("[\\s\\S]*(?:" + key + ")[\\s\\S]*", kFlags);
    if (cache.size() >= 256) cache.clear();
    cache.emplace(std::move(key), searcher);
    return searcher;
  } catch (const std::regex_error& e) {
    *error = fmt::format("`{}` is not a valid regular expression: {}", pattern, describe(e.code()));
    return nullptr;
  }
}

}  // namespace

std::optional<bool> regex_search(std::string_view subject, std::string_view pattern,
                                 std::string* error) {
  if (subject.size() > kMaxMatchSubjectBytes) {
    *error = fmt::format("`matches` takes strings of at most {} bytes; this one has {}",
                         kMaxMatchSubjectBytes, subject.size());
    return std::nullopt;
  }
  if (pattern.size() > kMaxPatternBytes) {
    *error = fmt::format("`matches` takes patterns of at most {} bytes; this one has {}",
                         kMaxPatternBytes, pattern.size());
    return std::nullopt;
  }
  if (int64_t count = largest_repeat_count(pattern); count > kMaxRepeatCount) {
    *error = fmt::format("`matches` allows repetition counts up to {}; the pattern asks for {}",
                         kMaxRepeatCount, count);
    return std::nullopt;
  }
  std::shared_ptr<const std::regex> searcher = compile(pattern, error);
  if (!searcher) return std::nullopt;
  try {
    return std::regex_match(subject.begin(), subject.end(), *searcher);
  } catch (const std::regex_error& e) {
    *error = fmt::format("`{}` could not be matched: {}", pattern, describe(e.code()));
    return std::nullopt;
  }
}

}  // namespace kc::eval
