// Splitting text on a separator, shared by the parsers of dotted literals (addresses, versions).
#pragma once

#include <string_view>
#include <vector>

namespace kc::sdk {

// Every part between separators, empty parts included: "a..b" gives {"a", "", "b"}.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

}  // namespace kc::sdk
