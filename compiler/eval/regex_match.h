// `matches`: ECMAScript regular expressions searched anywhere in a string, in time linear in the
// subject's length (no backtracking, so no pattern can take exponential time).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kc::eval {

// Whether `pattern` matches some part of `subject` (like JavaScript's `RegExp.test` or Python's
// `re.search`; anchor with `^...$` for the whole string). `^` and `$` match only at the ends of
// the subject, never at line breaks. nullopt with `error` set when the pattern is not a valid
// ECMAScript regular expression, uses back-references, or either text exceeds the limits in
// builtins.h.
std::optional<bool> regex_search(std::string_view subject, std::string_view pattern,
                                 std::string* error);

}  // namespace kc::eval
