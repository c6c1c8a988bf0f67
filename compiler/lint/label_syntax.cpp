// Label keys `[prefix/]name` and values, checked the way the API server validates metadata.labels.
#include "compiler/lint/label_syntax.h"

#include <fmt/format.h>

namespace kc::lint {

// The prefix is a DNS subdomain: at most 253 characters of lowercase letters, digits, `-` and `.`,
// each dot-separated part beginning and ending with a letter or digit. The name is at most 63
// characters of letters, digits, `-`, `_` and `.`, beginning and ending with a letter or digit.
// A value is empty or follows the rules of a name.
namespace {

bool alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string shown(char c) {
  if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
    return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
  }
  return fmt::format("`{}`", c);
}

// A name part (also the rules of values): `what` names it in messages.
std::optional<std::string> name_problem(std::string_view text, std::string_view what) {
  if (text.size() > 63)
    return fmt::format("the {} has {} characters; at most 63 are allowed", what, text.size());
  for (char c : text) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') {
      return fmt::format("the {} holds {}; only letters, digits, `-`, `_` and `.` are allowed",
                         what, shown(c));
    }
  }
  if (!text.empty() && (!alnum(text.front()) || !alnum(text.back()))) {
    return fmt::format("the {} must begin and end with a letter or digit", what);
  }
  return std::nullopt;
}

std::optional<std::string> prefix_problem(std::string_view prefix) {
  if (prefix.empty()) return std::string("the prefix before `/` is empty");
  if (prefix.size() > 253) {
    return fmt::format("the prefix has {} characters; at most 253 are allowed", prefix.size());
  }
  size_t start = 0;
  while (start <= prefix.size()) {
    size_t dot = prefix.find('.', start);
    std::string_view part = prefix.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty()) return std::string("the prefix has an empty part between dots");
    for (char c : part) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return fmt::format(
            "the prefix holds {}; a DNS subdomain has only lowercase letters, digits, `-` and `.`",
            shown(c));
      }
    }
    if (part.front() == '-' || part.back() == '-') {
      return std::string("each part of the prefix must begin and end with a letter or digit");
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> label_key_problem(std::string_view key) {
  size_t slash = key.find('/');
  std::string_view name = key;
  if (slash != std::string_view::npos) {
    if (key.find('/', slash + 1) != std::string_view::npos) {
      return std::string("a key holds at most one `/`, between the prefix and the name");
    }
    if (auto problem = prefix_problem(key.substr(0, slash))) return problem;
    name = key.substr(slash + 1);
  }
  if (name.empty()) return std::string("the name is empty");
  return name_problem(name, "name");
}

std::optional<std::string> label_value_problem(std::string_view value) {
  return name_problem(value, "value");
}

}  // namespace kc::lint
