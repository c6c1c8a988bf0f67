// Evaluation of the built-in functions the checker types (compiler/sema/builtins.h). Arguments are
// already typed; an unknown argument gives an unknown result.
#pragma once

#include <string_view>
#include <vector>

#include "compiler/eval/operators.h"

namespace kc::eval {

// `range` refuses to build lists longer than this (a typo like `range(10000000000)` must not
// exhaust memory).
inline constexpr int64_t kMaxRangeLength = 10'000'000;

// All comprehensions of one evaluation together produce at most this many results (E0406), so a
// mistake like `[for a in range(100000) for b in range(100000): ...]` ends instead of hanging.
inline constexpr int64_t kMaxComprehensionSteps = 2'000'000;

OpResult call_builtin(std::string_view name, const std::vector<sdk::Value>& args);

}  // namespace kc::eval
