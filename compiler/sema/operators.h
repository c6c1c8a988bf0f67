// The types of LANGUAGE.md section 6's operators: which operand types each accepts and what it
// yields. Pure functions of types; the checker reports what they reject.
#pragma once

#include <optional>

#include "compiler/sema/types.h"
#include "compiler/syntax/ast.h"

namespace kc::sema {

// The type of `lhs op rhs` for every operator but `&&`, `||` and `??` (the checker types those,
// as they need the operands' expected types), or nullopt when `op` does not apply to these
// operand types. Error operands give Error; Any operands give Any (or Bool for comparisons).
std::optional<TypeId> binary_type(TypeTable& types, ast::BinaryOp op, TypeId lhs, TypeId rhs);

// The type of `-x` or `!x`, or nullopt when the operator does not apply.
std::optional<TypeId> unary_type(TypeTable& types, ast::UnaryOp op, TypeId operand);

// Whether values of this type have a string form, so they may be interpolated into a string.
bool has_string_form(const TypeTable& types, TypeId type);

// The narrowest type both a and b fit in: one of them when the other is assignable to it, a list
// of the common element for two lists, else Any.
TypeId common_type(TypeTable& types, TypeId a, TypeId b);

}  // namespace kc::sema
