// Operator typing (operators.h): arithmetic on numbers, durations and sizes, concatenation of
// strings and lists, comparisons of ordered types, equality of compatible types.
#include "compiler/sema/operators.h"

namespace kc::sema {
namespace {

bool numeric(TypeKind k) {
  return k == TypeKind::Int || k == TypeKind::Float;
}

bool ordered(TypeKind k) {
  return numeric(k) || k == TypeKind::String || k == TypeKind::Duration || k == TypeKind::Bytes ||
         k == TypeKind::Percent || k == TypeKind::Version;
}

// int op int is int; any float makes it float.
TypeId arithmetic(TypeTable& types, TypeKind a, TypeKind b) {
  return types.primitive(a == TypeKind::Int && b == TypeKind::Int ? TypeKind::Int
                                                                  : TypeKind::Float);
}

// Durations and sizes: added to and subtracted from their own kind, scaled by numbers.
bool quantity(TypeKind k) {
  return k == TypeKind::Duration || k == TypeKind::Bytes;
}

}  // namespace

TypeId common_type(TypeTable& types, TypeId a, TypeId b) {
  if (types.kind(a) == TypeKind::Never) return b;
  if (types.kind(b) == TypeKind::Never) return a;
  if (types.assignable(b, a)) return a;
  if (types.assignable(a, b)) return b;
  if (types.kind(a) == TypeKind::Null) return types.optional_of(b);
  if (types.kind(b) == TypeKind::Null) return types.optional_of(a);
  if (types.kind(a) == TypeKind::List && types.kind(b) == TypeKind::List) {
    return types.list_of(common_type(types, types.get(a).element, types.get(b).element));
  }
  return types.any();
}

std::optional<TypeId> binary_type(TypeTable& types, ast::BinaryOp op, TypeId lhs, TypeId rhs) {
  TypeKind a = types.kind(lhs);
  TypeKind b = types.kind(rhs);
  if (a == TypeKind::Error || b == TypeKind::Error) return types.error();
  bool any = a == TypeKind::Any || b == TypeKind::Any;
  using Op = ast::BinaryOp;
  switch (op) {
    case Op::Eq:
    case Op::Ne:
      if (any || types.assignable(lhs, rhs) || types.assignable(rhs, lhs) ||
          (numeric(a) && numeric(b))) {
        return types.primitive(TypeKind::Bool);
      }
      return std::nullopt;
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      if (any || (numeric(a) && numeric(b)) || (a == b && ordered(a))) {
        return types.primitive(TypeKind::Bool);
      }
      return std::nullopt;
    case Op::Add:
      if (any) return types.any();
      if (numeric(a) && numeric(b)) return arithmetic(types, a, b);
      if (a == b && (a == TypeKind::String || quantity(a))) return lhs;
      if (a == TypeKind::List && b == TypeKind::List) return common_type(types, lhs, rhs);
      return std::nullopt;
    case Op::Sub:
      if (any) return types.any();
      if (numeric(a) && numeric(b)) return arithmetic(types, a, b);
      if (a == b && quantity(a)) return lhs;
      return std::nullopt;
    case Op::Mul:
      if (any) return types.any();
      if (numeric(a) && numeric(b)) return arithmetic(types, a, b);
      if (quantity(a) && numeric(b)) return lhs;
      if (numeric(a) && quantity(b)) return rhs;
      return std::nullopt;
    case Op::Div:
      if (any) return types.any();
      if (numeric(a) && numeric(b)) return arithmetic(types, a, b);
      if (quantity(a) && numeric(b)) return lhs;
      return std::nullopt;
    case Op::Mod:
      if (any) return types.any();
      if (a == TypeKind::Int && b == TypeKind::Int) return lhs;
      return std::nullopt;
    case Op::And:
    case Op::Or:
    case Op::Coalesce:
      break;  // typed by the checker
  }
  return std::nullopt;
}

std::optional<TypeId> unary_type(TypeTable& types, ast::UnaryOp op, TypeId operand) {
  TypeKind k = types.kind(operand);
  if (k == TypeKind::Error || k == TypeKind::Any) return operand;
  if (op == ast::UnaryOp::Not) {
    return k == TypeKind::Bool ? std::optional<TypeId>(operand) : std::nullopt;
  }
  return numeric(k) || quantity(k) ? std::optional<TypeId>(operand) : std::nullopt;
}

bool has_string_form(const TypeTable& types, TypeId type) {
  switch (types.kind(type)) {
    case TypeKind::Error:
    case TypeKind::Any:
    case TypeKind::Never:
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::String:
    case TypeKind::Duration:
    case TypeKind::Bytes:
    case TypeKind::Percent:
    case TypeKind::Version:
    case TypeKind::Ip:
    case TypeKind::Cidr:
    case TypeKind::Enum:  // the member's name
      return true;
    default:
      return false;
  }
}

}  // namespace kc::sema
