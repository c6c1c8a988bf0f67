// "Did you mean" suggestions: the closest candidate by edit distance, when it is close enough.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kc::sema {

// The candidate nearest to `word` (case-insensitive Levenshtein), if its distance is at most a
// third of the word's length (at least 1). Ties go to the earlier candidate.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates);

}  // namespace kc::sema
