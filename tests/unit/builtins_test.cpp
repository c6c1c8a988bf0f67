// Built-in functions (compiler/eval/builtins.h, compiler/sema/builtins.h) at their edges.
#include <doctest/doctest.h>

#include <cstdint>

#include "compiler/eval/builtins.h"
#include "compiler/sema/builtins.h"

namespace {

using kc::eval::call_builtin;
using kc::sdk::Value;

std::vector<int64_t> ints(const kc::eval::OpResult& r) {
  REQUIRE(r.value.has_value());
  std::vector<int64_t> out;
  for (const Value& v : r.value->as_list())
    out.push_back(v.as_int());
  return out;
}

}  // namespace

TEST_SUITE("builtins") {
  TEST_CASE("range: one to three arguments, negative steps, bounds never overflow") {
    CHECK(ints(call_builtin("range", {Value(3)})) == std::vector<int64_t>{0, 1, 2});
    CHECK(ints(call_builtin("range", {Value(2), Value(5)})) == std::vector<int64_t>{2, 3, 4});
    CHECK(ints(call_builtin("range", {Value(5), Value(0), Value(-2)})) ==
          std::vector<int64_t>{5, 3, 1});
    CHECK(ints(call_builtin("range", {Value(5), Value(1)})).empty());
    CHECK(ints(call_builtin("range", {Value(INT64_MAX - 1), Value(INT64_MAX)})) ==
          std::vector<int64_t>{INT64_MAX - 1});
    CHECK(call_builtin("range", {Value(0), Value(5), Value(0)}).error ==
          "`range` needs a step other than 0");
    CHECK_FALSE(call_builtin("range", {Value(INT64_MIN), Value(INT64_MAX)}).value);
  }

  TEST_CASE("strings") {
    auto text = [](const kc::eval::OpResult& r) { return r.value->as_string(); };
    CHECK(text(call_builtin("replace", {Value("a.b.c"), Value("."), Value("::")})) == "a::b::c");
    CHECK(call_builtin("split", {Value("a,,b"), Value(",")}).value->as_list().size() == 3);
    CHECK(text(call_builtin("trim", {Value(" \t x \n")})) == "x");
    CHECK(text(call_builtin("upper", {Value("héllo")})) == "HéLLO");  // ASCII only, bytes kept
  }

  TEST_CASE("unique keeps first occurrences in order; sort is stable and uses `<`") {
    Value list = Value::list({Value(3), Value(1), Value(3), Value(2), Value(1)});
    CHECK(ints(call_builtin("unique", {list})) == std::vector<int64_t>{3, 1, 2});
    CHECK(ints(call_builtin("sort", {list})) == std::vector<int64_t>{1, 1, 2, 3, 3});
  }

  TEST_CASE("unknown arguments give unknown results") {
    CHECK(call_builtin("len", {Value::unknown()}).value->is_unknown());
  }

  TEST_CASE("typing names every built-in and rejects wrong arguments") {
    kc::sema::TypeTable types;
    for (const std::string& name : kc::sema::builtin_names())
      CHECK(kc::sema::is_builtin(name));
    CHECK_FALSE(kc::sema::is_builtin("lenn"));
    auto typing = kc::sema::builtin_type(types, "len", {types.primitive(kc::sema::TypeKind::Int)});
    CHECK_FALSE(typing.result);
    CHECK(typing.error == "`len` takes a list, a map or a string");
    auto sum = kc::sema::builtin_type(
        types, "sum", {types.list_of(types.primitive(kc::sema::TypeKind::Duration))});
    REQUIRE(sum.result);
    CHECK(types.kind(*sum.result) == kc::sema::TypeKind::Duration);
  }
}
