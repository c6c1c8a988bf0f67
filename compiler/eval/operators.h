// What LANGUAGE.md section 6's operators compute on values that the checker typed: arithmetic with
// overflow and division-by-zero errors, comparisons (versions by semver precedence), equality,
// concatenation, and the string form used by interpolation. `&&`, `||` and `??` short-circuit, so
// the evaluator handles them; unknown operands give unknown results there too.
#pragma once

#include <optional>
#include <string>

#include "compiler/syntax/ast.h"
#include "providers/sdk/value.h"

namespace kc::eval {

// A value, or what went wrong ("division by zero", "integer overflow").
struct OpResult {
  std::optional<sdk::Value> value;
  std::string error;
};

// `a op b` for every operator but `&&`, `||` and `??`. An unknown operand gives an unknown value.
OpResult apply_binary(ast::BinaryOp op, const sdk::Value& a, const sdk::Value& b);
// `-a` or `!a`.
OpResult apply_unary(ast::UnaryOp op, const sdk::Value& a);

// The text a value interpolates as: strings as they are, numbers and domain values in their
// printed form (LANGUAGE.md 8a). nullopt for lists, maps, null and unknowns.
std::optional<std::string> string_form(const sdk::Value& value);

}  // namespace kc::eval
