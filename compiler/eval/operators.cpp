// Operator evaluation (operators.h). Integer arithmetic is checked for overflow; int/int division
// truncates toward zero and `%` takes the dividend's sign (C++ already does both); a float operand
// makes the operation float.
#include "compiler/eval/operators.h"

#include <cmath>
#include <cstdint>

namespace kc::eval {
namespace {

using sdk::Kind;
using sdk::Value;
using Op = ast::BinaryOp;

OpResult ok(Value v) {
  return {std::move(v), {}};
}
OpResult fail(std::string why) {
  return {std::nullopt, std::move(why)};
}

bool is_number(const Value& v) {
  return v.kind() == Kind::Int || v.kind() == Kind::Float;
}
double to_double(const Value& v) {
  return v.kind() == Kind::Int ? static_cast<double>(v.as_int()) : v.as_float();
}

OpResult int_arithmetic(Op op, int64_t a, int64_t b) {
  int64_t out = 0;
  switch (op) {
    case Op::Add:
      if (__builtin_add_overflow(a, b, &out)) return fail("integer overflow");
      return ok(Value(out));
    case Op::Sub:
      if (__builtin_sub_overflow(a, b, &out)) return fail("integer overflow");
      return ok(Value(out));
    case Op::Mul:
      if (__builtin_mul_overflow(a, b, &out)) return fail("integer overflow");
      return ok(Value(out));
    case Op::Div:
    case Op::Mod:
      if (b == 0) return fail(op == Op::Div ? "division by zero" : "remainder by zero");
      if (a == INT64_MIN && b == -1) return fail("integer overflow");
      return ok(Value(op == Op::Div ? a / b : a % b));
    default:
      return fail("not an arithmetic operator");
  }
}

OpResult float_arithmetic(Op op, double a, double b) {
  switch (op) {
    case Op::Add:
      return ok(Value(a + b));
    case Op::Sub:
      return ok(Value(a - b));
    case Op::Mul:
      return ok(Value(a * b));
    case Op::Div:
      if (b == 0) return fail("division by zero");
      return ok(Value(a / b));
    default:
      return fail("`%` takes integers");
  }
}

// Durations and sizes are whole milliseconds and bytes: scaling rounds to the nearest.
OpResult scale(Op op, int64_t amount, const Value& factor, bool is_duration) {
  double f = to_double(factor);
  if (op == Op::Div && f == 0) return fail("division by zero");
  double scaled = op == Op::Mul ? static_cast<double>(amount) * f : static_cast<double>(amount) / f;
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 9.2e18) return fail("integer overflow");
  auto rounded = static_cast<int64_t>(std::llround(scaled));
  return ok(is_duration ? Value(sdk::Duration{rounded}) : Value(sdk::ByteSize{rounded}));
}

OpResult quantity(Op op, const Value& a, const Value& b) {
  bool duration = a.kind() == Kind::Duration || b.kind() == Kind::Duration;
  auto amount = [&](const Value& v) {
    return v.kind() == Kind::Duration ? v.as_duration().ms : v.as_bytes().bytes;
  };
  if (op == Op::Mul && is_number(a)) return scale(op, amount(b), a, duration);
  if (is_number(b)) return scale(op, amount(a), b, duration);
  OpResult sum = int_arithmetic(op, amount(a), amount(b));
  if (!sum.value) return sum;
  int64_t n = sum.value->as_int();
  return ok(duration ? Value(sdk::Duration{n}) : Value(sdk::ByteSize{n}));
}

// -1, 0 or 1 for two values of one ordered type (numbers may mix).
int order(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (is_number(a) && is_number(b)) {
    if (a.kind() == Kind::Int && b.kind() == Kind::Int) return sign(a.as_int(), b.as_int());
    return sign(to_double(a), to_double(b));
  }
  switch (a.kind()) {
    case Kind::String:
      return sign(a.as_string(), b.as_string());
    case Kind::Duration:
      return sign(a.as_duration().ms, b.as_duration().ms);
    case Kind::Bytes:
      return sign(a.as_bytes().bytes, b.as_bytes().bytes);
    case Kind::Percent:
      return sign(a.as_percent().value, b.as_percent().value);
    case Kind::Version:
      return sdk::compare(a.as_version(), b.as_version());
    default:
      return 0;
  }
}

bool equal(const Value& a, const Value& b) {
  if (is_number(a) && is_number(b)) return order(a, b) == 0;
  return a == b;
}

}  // namespace

OpResult apply_binary(Op op, const Value& a, const Value& b) {
  if (a.is_unknown() || b.is_unknown()) return ok(Value::unknown());
  switch (op) {
    case Op::Eq:
      return ok(Value(equal(a, b)));
    case Op::Ne:
      return ok(Value(!equal(a, b)));
    case Op::Lt:
      return ok(Value(order(a, b) < 0));
    case Op::Le:
      return ok(Value(order(a, b) <= 0));
    case Op::Gt:
      return ok(Value(order(a, b) > 0));
    case Op::Ge:
      return ok(Value(order(a, b) >= 0));
    case Op::Add:
      if (a.kind() == Kind::String) return ok(Value(a.as_string() + b.as_string()));
      if (a.kind() == Kind::List) {
        sdk::List items = a.as_list();
        items.insert(items.end(), b.as_list().begin(), b.as_list().end());
        return ok(Value::list(std::move(items)));
      }
      [[fallthrough]];
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod:
      if (a.kind() == Kind::Int && b.kind() == Kind::Int) {
        return int_arithmetic(op, a.as_int(), b.as_int());
      }
      if (is_number(a) && is_number(b)) return float_arithmetic(op, to_double(a), to_double(b));
      return quantity(op, a, b);
    case Op::And:
    case Op::Or:
    case Op::Coalesce:
      break;
  }
  return fail("operator evaluated out of place");
}

OpResult apply_unary(ast::UnaryOp op, const Value& a) {
  if (a.is_unknown()) return ok(Value::unknown());
  if (op == ast::UnaryOp::Not) return ok(Value(!a.as_bool()));
  switch (a.kind()) {
    case Kind::Int:
      if (a.as_int() == INT64_MIN) return fail("integer overflow");
      return ok(Value(-a.as_int()));
    case Kind::Float:
      return ok(Value(-a.as_float()));
    case Kind::Duration:
      return ok(Value(sdk::Duration{-a.as_duration().ms}));
    case Kind::Bytes:
      return ok(Value(sdk::ByteSize{-a.as_bytes().bytes}));
    default:
      return fail("`-` takes a number");
  }
}

std::optional<std::string> string_form(const Value& value) {
  switch (value.kind()) {
    case Kind::String:
      return value.as_string();
    case Kind::Bool:
      return value.as_bool() ? "true" : "false";
    case Kind::Int:
      return std::to_string(value.as_int());
    case Kind::Float:
      return sdk::format_float(value.as_float());
    case Kind::Duration:
      return sdk::to_string(value.as_duration());
    case Kind::Bytes:
      return sdk::to_string(value.as_bytes());
    case Kind::Percent:
      return sdk::to_string(value.as_percent());
    case Kind::Version:
      return sdk::to_string(value.as_version());
    case Kind::Ip:
      return sdk::to_string(value.as_ip());
    case Kind::Cidr:
      return sdk::to_string(value.as_cidr());
    default:
      return std::nullopt;
  }
}

}  // namespace kc::eval
