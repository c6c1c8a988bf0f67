// Operator evaluation (compiler/eval/operators.h) and typing (compiler/sema/operators.h) at their
// edges: overflow, signs of division and remainder, unknowns, semver order, scaling of quantities.
#include <doctest/doctest.h>

#include <cstdint>

#include "compiler/eval/operators.h"
#include "compiler/sema/operators.h"

namespace {

using kc::ast::BinaryOp;
using kc::ast::UnaryOp;
using kc::eval::apply_binary;
using kc::eval::apply_unary;
using kc::sdk::Value;

Value must(kc::eval::OpResult r) {
  REQUIRE(r.value.has_value());
  return *r.value;
}

}  // namespace

TEST_SUITE("operators") {
  TEST_CASE("integer division truncates toward zero and % takes the dividend's sign") {
    CHECK(must(apply_binary(BinaryOp::Div, Value(-7), Value(2))).as_int() == -3);
    CHECK(must(apply_binary(BinaryOp::Mod, Value(-7), Value(3))).as_int() == -1);
    CHECK(must(apply_binary(BinaryOp::Mod, Value(7), Value(-3))).as_int() == 1);
    CHECK(must(apply_binary(BinaryOp::Div, Value(7), Value(2.0))).as_float() == 3.5);
  }

  TEST_CASE("overflow and division by zero are errors, not values") {
    Value max(INT64_MAX);
    Value min(INT64_MIN);
    CHECK(apply_binary(BinaryOp::Add, max, Value(1)).error == "integer overflow");
    CHECK(apply_binary(BinaryOp::Mul, max, Value(2)).error == "integer overflow");
    CHECK(apply_binary(BinaryOp::Div, min, Value(-1)).error == "integer overflow");
    CHECK(apply_unary(UnaryOp::Neg, min).error == "integer overflow");
    CHECK(apply_binary(BinaryOp::Div, Value(1), Value(0)).error == "division by zero");
    CHECK(apply_binary(BinaryOp::Mod, Value(1), Value(0)).error == "remainder by zero");
    CHECK(apply_binary(BinaryOp::Div, Value(1.0), Value(0)).error == "division by zero");
    CHECK_FALSE(apply_binary(BinaryOp::Div, Value(kc::sdk::Duration{60000}), Value(0)).value);
  }

  TEST_CASE("unknown operands give unknown results") {
    CHECK(must(apply_binary(BinaryOp::Add, Value::unknown(), Value(1))).is_unknown());
    CHECK(must(apply_binary(BinaryOp::Eq, Value(1), Value::unknown())).is_unknown());
    CHECK(must(apply_unary(UnaryOp::Not, Value::unknown())).is_unknown());
  }

  TEST_CASE("comparisons: numbers mix, versions by semver precedence") {
    CHECK(must(apply_binary(BinaryOp::Eq, Value(1), Value(1.0))).as_bool());
    CHECK(must(apply_binary(BinaryOp::Lt, Value(1), Value(1.5))).as_bool());
    Value rc(kc::sdk::Version{1, 30, 0, "rc.1"});
    Value release(kc::sdk::Version{1, 30, 0, ""});
    CHECK(must(apply_binary(BinaryOp::Lt, rc, release)).as_bool());
    CHECK(must(apply_binary(BinaryOp::Ge, Value("b"), Value("a"))).as_bool());
  }

  TEST_CASE("durations and sizes add, and scale by numbers to whole units") {
    Value hour(kc::sdk::Duration{3600000});
    CHECK(must(apply_binary(BinaryOp::Add, hour, Value(kc::sdk::Duration{1800000})))
              .as_duration()
              .ms == 5400000);
    CHECK(must(apply_binary(BinaryOp::Div, Value(kc::sdk::Duration{10}), Value(4)))
              .as_duration()
              .ms == 3);  // 2.5 ms rounds to 3
    CHECK(must(apply_binary(BinaryOp::Mul, Value(2), Value(kc::sdk::ByteSize{1024})))
              .as_bytes()
              .bytes == 2048);
  }

  TEST_CASE("operator typing") {
    kc::sema::TypeTable types;
    auto prim = [&](kc::sema::TypeKind k) { return types.primitive(k); };
    using kc::sema::TypeKind;
    CHECK(*kc::sema::binary_type(types, BinaryOp::Add, prim(TypeKind::Int),
                                 prim(TypeKind::Float)) == prim(TypeKind::Float));
    CHECK_FALSE(
        kc::sema::binary_type(types, BinaryOp::Add, prim(TypeKind::Int), prim(TypeKind::String)));
    CHECK_FALSE(
        kc::sema::binary_type(types, BinaryOp::Mod, prim(TypeKind::Float), prim(TypeKind::Int)));
    CHECK(*kc::sema::binary_type(types, BinaryOp::Mul, prim(TypeKind::Int),
                                 prim(TypeKind::Duration)) == prim(TypeKind::Duration));
    CHECK_FALSE(kc::sema::binary_type(types, BinaryOp::Lt, prim(TypeKind::Ip), prim(TypeKind::Ip)));
    TypeKind optional_int =
        types.kind(kc::sema::common_type(types, prim(TypeKind::Int), prim(TypeKind::Null)));
    CHECK(optional_int == TypeKind::Optional);
    CHECK(*kc::sema::binary_type(types, BinaryOp::Add, prim(TypeKind::Error),
                                 prim(TypeKind::String)) == types.error());
  }
}
