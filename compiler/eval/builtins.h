// Evaluation of the built-in functions and intrinsics the checker types (compiler/sema/builtins.h),
// and the context that lets `file` read files.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
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

// `matches` refuses subjects longer than this, and patterns longer than kMaxPatternBytes or with a
// repetition count above kMaxRepeatCount: matching takes time proportional to the subject's length
// times the pattern's size, so these bound one call.
inline constexpr size_t kMaxMatchSubjectBytes = 64 * 1024;
inline constexpr size_t kMaxPatternBytes = 1024;
inline constexpr int64_t kMaxRepeatCount = 1000;

// What evaluation lets built-ins reach outside the values they are given.
struct BuiltinContext {
  // The contents of `relative_path` below the root module's directory (see read_below.h), or
  // nullopt with `*error` set. Empty: `file` is not available.
  std::function<std::optional<std::string>(std::string_view relative_path, std::string* error)>
      read_file;
};

// `name(args...)`. Arguments are typed, but an `any` argument may turn out to be of a kind the
// function does not take: that is an error saying what it takes (sema::builtin_usage). An unknown
// argument gives an unknown result.
OpResult call_builtin(std::string_view name, const std::vector<sdk::Value>& args,
                      const BuiltinContext& context);
// With an empty context: `file` reports that it is not available.
OpResult call_builtin(std::string_view name, const std::vector<sdk::Value>& args);

}  // namespace kc::eval
