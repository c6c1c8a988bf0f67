// Limits that keep the compiler from exhausting the stack on adversarial input.
#pragma once

namespace kc::sema {

// How deep the checker's recursion over expressions and the declarations they reference may go;
// past it, E0405. The evaluator walks the same paths in the same order (both memoise per
// declaration) and runs only on a module that checked clean, so this bounds it too. A chain of
// `let`s each reading the next costs one level per declaration; real modules stay far below this,
// while about 5000 levels overflow an 8 MiB stack in a sanitizer build.
inline constexpr int kMaxDepth = 1500;

}  // namespace kc::sema
