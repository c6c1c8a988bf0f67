// Unit tests of providers/sdk json.h: the printed JSON form of values and schema-guided decoding,
// including round trips for every kind.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "providers/sdk/json.h"
#include "providers/sdk/json_parse.h"

using namespace kc::sdk;
using Json = nlohmann::ordered_json;
using K = AttrType::Kind;

namespace {

AttrType type_of(K kind) {
  return AttrType::of(kind);
}

Value decode(const Json& json, const AttrType& type) {
  std::string error;
  auto value = from_json(json, type, &error);
  REQUIRE_MESSAGE(value.has_value(), error);
  return *value;
}

std::string decode_error(const Json& json, const AttrType& type) {
  std::string error;
  CHECK_FALSE(from_json(json, type, &error).has_value());
  return error;
}

}  // namespace

TEST_CASE("to_json writes the printed form") {
  CHECK(to_json(Value()).is_null());
  CHECK(to_json(Value(true)) == Json(true));
  CHECK(to_json(Value(42)).is_number_integer());
  CHECK(to_json(Value(42)) == Json(42));
  CHECK(to_json(Value(0.5)).is_number_float());
  CHECK(to_json(Value(std::numeric_limits<double>::infinity())) == Json("inf"));
  CHECK(to_json(Value("hi")) == Json("hi"));
  CHECK(to_json(Value(Duration{5'400'000})) == Json("1h30m"));
  CHECK(to_json(Value(ByteSize{1LL << 30})) == Json("1Gi"));
  CHECK(to_json(Value(Percent{12.5})) == Json("12.5%"));
  CHECK(to_json(Value(*parse_version("v1.30.0-rc.1"))) == Json("v1.30.0-rc.1"));
  CHECK(to_json(Value(*parse_ip("fd00:0::1"))) == Json("fd00::1"));
  CHECK(to_json(Value(*parse_cidr("10.0.0.0/16"))) == Json("10.0.0.0/16"));
  CHECK(to_json(Value::unknown()) == Json("(known after apply)"));

  Value nested = Value::map({{"zeta", 1}, {"alpha", Value::list({"a", Value::unknown()})}});
  CHECK(to_json(nested).dump() == R"j({"zeta":1,"alpha":["a","(known after apply)"]})j");
}

TEST_CASE("from_json(to_json(v)) gives v back for every kind") {
  struct Case {
    Value value;
    AttrType type;
  };
  std::vector<Case> cases = {
      {Value(), type_of(K::String)},
      {Value(true), type_of(K::Bool)},
      {Value(-7), type_of(K::Int)},
      {Value(std::numeric_limits<int64_t>::max()), type_of(K::Int)},
      {Value(2.5), type_of(K::Float)},
      {Value(-std::numeric_limits<double>::infinity()), type_of(K::Float)},
      {Value("text"), type_of(K::String)},
      {Value(Duration{90'500}), type_of(K::Duration)},
      {Value(ByteSize{1500}), type_of(K::Bytes)},
      {Value(ByteSize{512LL << 20}), type_of(K::Bytes)},
      {Value(Percent{40}), type_of(K::Percent)},
      {Value(*parse_version("v1.29.4")), type_of(K::Version)},
      {Value(*parse_ip("10.0.0.1")), type_of(K::Ip)},
      {Value(*parse_ip("2001:db8::1")), type_of(K::Ip)},
      {Value(*parse_cidr("fd00:10::/56")), type_of(K::Cidr)},
      {Value::list({Duration{1000}, Duration{60'000}}), AttrType::list_of(type_of(K::Duration))},
      {Value::map({{"b", ByteSize{1024}}, {"a", Value::unknown()}}),
       AttrType::map_of(type_of(K::Bytes))},
      {Value::unknown(), type_of(K::Cidr)},
      // `any` decodes structurally: ints stay ints, floats stay floats, objects keep their order.
      {Value::map(
           {{"z", 1}, {"y", 1.5}, {"x", Value::list({"s", true, Value()})}, {"w", Value::map({})}}),
       type_of(K::Any)},
  };
  for (const Case& c : cases) {
    Json json = to_json(c.value);
    // Also through text, as state files and the plugin protocol carry it.
    Json reparsed = Json::parse(json.dump());
    CHECK_MESSAGE(decode(json, c.type) == c.value, json.dump());
    CHECK_MESSAGE(decode(reparsed, c.type) == c.value, json.dump());
  }
  Value nan = decode(to_json(Value(std::nan(""))), type_of(K::Float));
  CHECK(std::isnan(nan.as_float()));

  // Map order survives decoding.
  Value any = decode(Json::parse(R"({"z": 1, "a": 2.0})"), type_of(K::Any));
  CHECK(any.as_map()[0].first == "z");
  CHECK(any.as_map()[0].second.kind() == Kind::Int);
  CHECK(any.as_map()[1].second.kind() == Kind::Float);
}

TEST_CASE("from_json checks the JSON against the type") {
  CHECK(decode(Json(3), type_of(K::Float)) == Value(3.0));  // an int where a float is expected
  CHECK(decode_error(Json(3.5), type_of(K::Int)) == "expected int, got a number with a fraction");
  CHECK(decode_error(Json("3"), type_of(K::Int)) == "expected int, got a string");
  CHECK(decode_error(Json(1), type_of(K::Bool)) == "expected bool, got an integer");
  CHECK(decode_error(Json(5), type_of(K::Duration)) == "expected duration, got an integer");
  CHECK(decode_error(Json::array(), type_of(K::String)) == "expected string, got an array");
  CHECK(decode_error(Json(std::numeric_limits<uint64_t>::max()), type_of(K::Int)) ==
        "the integer is too large for a 64-bit int");
  std::string e = decode_error(Json("16GB"), type_of(K::Bytes));
  CHECK(e.find("`16Gi`") != std::string::npos);

  AttrType pools = AttrType::map_of(AttrType::list_of(type_of(K::Cidr)));
  Json bad = Json::parse(R"({"a": ["10.0.0.0/8"], "b": ["10.0.0.0/8", "10.0.0.0/99"]})");
  CHECK(decode_error(bad, pools) == "`b[1]`: prefix length 99 is longer than 32");
  CHECK(decode(Json::parse(R"({"a": null})"), pools) == Value::map({{"a", Value()}}));
  CHECK(decode(Json(18446744073709551615ULL), type_of(K::Any)).kind() == Kind::Float);
}

TEST_CASE("attributes_from_json decodes with the resource schema") {
  ResourceSchema machine;
  machine.type = "sim.machine";
  machine.attributes = {
      {"name", type_of(K::String), AttributeSchema::Presence::Required, false, false, ""},
      {"memory", type_of(K::Bytes), AttributeSchema::Presence::Optional, false, false, ""},
      {"address", type_of(K::Ip), AttributeSchema::Presence::Computed, false, false, ""},
  };
  std::string error;
  auto value = attributes_from_json(
      Json::parse(R"j({"memory": "16Gi", "name": "m1", "address": "(known after apply)",
                      "extra": {"k": 1}})j"),
      machine, &error);
  REQUIRE_MESSAGE(value.has_value(), error);
  CHECK(*value == Value::map({{"memory", ByteSize{16LL << 30}},
                              {"name", "m1"},
                              {"address", Value::unknown()},
                              {"extra", Value::map({{"k", 1}})}}));
  CHECK(value->as_map()[0].first == "memory");  // JSON order is kept

  CHECK_FALSE(attributes_from_json(Json::parse(R"({"memory": 16})"), machine, &error));
  CHECK(error == "`memory`: expected bytes, got an integer");
  CHECK_FALSE(attributes_from_json(Json::array(), machine, &error));
  CHECK(error == "expected an object of `sim.machine` attributes, got an array");
}

TEST_CASE("decoding errors name the nested place") {
  AttrType nested = AttrType::map_of(AttrType::list_of(AttrType::map_of(type_of(K::Duration))));
  Json bad = Json::parse(R"({"x": [{"t": "1s"}, {"t": "1s", "u": 5}]})");
  CHECK(decode_error(bad, nested) == "`x[1].u`: expected duration, got an integer");
  CHECK(decode_error(Json::parse(R"([[1, "a"]])"),
                     AttrType::list_of(AttrType::list_of(type_of(K::Int)))) ==
        "`[0][1]`: expected int, got a string");
}

TEST_CASE("parse_json gives what ordered_json::parse gives, in linear time") {
  std::string text = R"({"b": 1, "a": [true, null, 2.5, -3, "s", {}], "c": {"z": 1, "y": 2}})";
  CHECK(parse_json(text) == Json::parse(text));
  CHECK(parse_json(text).dump() == Json::parse(text).dump());  // the same key order

  // A large object, with a repeated key: its first position and its last value.
  std::string big = "{";
  for (int i = 0; i < 1000; ++i)
    big += "\"k" + std::to_string(999 - i) + "\": " + std::to_string(i) + ", ";
  big += R"("k500": "again", "k0": {"n": [1]}})";
  Json parsed = parse_json(big);
  CHECK(parsed.dump() == Json::parse(big).dump());
  CHECK(parsed.size() == 1000);
  CHECK(parsed.begin().key() == "k999");
  CHECK(parsed["k500"] == "again");

  CHECK(parse_json("3") == Json(3));
  for (std::string broken : {"", "{", R"({"a": })", "[1, 2", "{} x", R"({"a" 1})"}) {
    std::string expected, got;
    try {
      Json ignored = Json::parse(broken);
      CHECK(ignored.is_discarded());  // not reached: the text is malformed
    } catch (const Json::exception& e) {
      expected = e.what();
    }
    try {
      Json ignored = parse_json(broken);
      CHECK(ignored.is_discarded());  // not reached: the text is malformed
    } catch (const Json::exception& e) {
      got = e.what();
    }
    CHECK_FALSE(expected.empty());
    CHECK(got == expected);
  }
}
