// Line diffs for `kc fmt --diff`: a shortest edit script (Myers' O(ND) algorithm) and its unified
// rendering (`--- a/x`, `+++ b/x`, `@@ -l,n +l,n @@` hunks with context), as `diff -u` prints it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kc::format {

// Splits text after every '\n'; a last line without one is kept as it is.
std::vector<std::string_view> split_lines(std::string_view text);

struct Edit {
  enum class Kind : unsigned char { Keep, Delete, Insert };
  Kind kind = Kind::Keep;
  size_t before = 0;  // Keep, Delete: index into the old lines
  size_t after = 0;   // Keep, Insert: index into the new lines
};

// An edit script turning `before` into `after`, in order: Keep and Delete walk `before`, Keep and
// Insert walk `after`. Shortest when the two differ in at most a few thousand lines; beyond that
// the differing middle is replaced as a whole (still correct, only longer).
std::vector<Edit> diff_lines(const std::vector<std::string_view>& before,
                             const std::vector<std::string_view>& after);

// The unified diff of two texts with `context` lines around each change, headed by
// `--- before_label` and `+++ after_label`; empty when the texts are equal. A last line without a
// newline is followed by `\ No newline at end of file`.
std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_label, std::string_view after_label,
                         size_t context = 3);

}  // namespace kc::format
