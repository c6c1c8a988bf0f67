// Limits that keep the checker and the evaluator from exhausting the stack on adversarial input.
#pragma once

namespace kc::sema {

// How deep the checker's and the evaluator's recursion over expressions and the declarations they
// reference may go. A chain of `let`s each reading the next costs one level per declaration; real
// modules stay far below this, while about 5000 levels overflow an 8 MiB stack in a sanitizer
// build. Past it, E0405.
inline constexpr int kMaxDepth = 1500;

}  // namespace kc::sema
