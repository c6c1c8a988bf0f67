// Edit-distance suggestions for unknown names and fields.
#include "compiler/sema/suggest.h"

#include <algorithm>
#include <cctype>

namespace kc::sema {
namespace {

size_t distance(std::string_view a, std::string_view b, bool fold_case = true) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      bool same = fold_case ? std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                  std::tolower(static_cast<unsigned char>(b[j - 1]))
                            : a[i - 1] == b[j - 1];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  size_t limit = std::max<size_t>(1, word.size() / 3);
  // A one- or two-letter name is as close to any other short name as to its misspelling: suggest
  // only a name it begins (`ap` for `app`), or a different case of itself.
  bool short_word = word.size() < 3;
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  size_t best_exact = 0;  // the distance with case counted, which breaks ties
  for (const auto& candidate : candidates) {
    if (candidate == word) continue;
    size_t d = distance(word, candidate);
    if (d > best_distance) continue;
    if (short_word && d > 0 && distance(word, candidate.substr(0, word.size())) > 0) continue;
    size_t exact = distance(word, candidate, /*fold_case=*/false);
    if (d < best_distance || exact < best_exact) {
      best_distance = d;
      best_exact = exact;
      best = candidate;
    }
  }
  return best;
}

}  // namespace kc::sema
