// Unit tests of providers/sdk value.h: Value semantics, the canonical text forms and the literal
// parsers (including their error messages), semver ordering, IPv6 printing, and schema types.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "providers/sdk/schema.h"
#include "providers/sdk/value.h"

using namespace kc::sdk;

namespace {

// The error of a parser that must fail.
template <typename Parse>
std::string error_of(Parse parse, std::string_view text) {
  std::string error;
  auto result = parse(text, &error);
  CHECK_MESSAGE(!result.has_value(), text);
  return error;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("Value kinds, equality and sharing") {
  CHECK(Value().kind() == Kind::Null);
  CHECK(Value::null().is_null());
  CHECK(Value(true).kind() == Kind::Bool);
  CHECK(Value(3).kind() == Kind::Int);
  CHECK(Value(int64_t{3}).as_int() == 3);
  CHECK(Value(2.5).kind() == Kind::Float);
  CHECK(Value("s").kind() == Kind::String);
  CHECK(Value(Duration{5}).kind() == Kind::Duration);
  CHECK(Value(ByteSize{5}).kind() == Kind::Bytes);
  CHECK(Value(Percent{5}).kind() == Kind::Percent);
  CHECK(Value(Version{1, 2, 3, ""}).kind() == Kind::Version);
  CHECK(Value(IpAddress{}).kind() == Kind::Ip);
  CHECK(Value(Cidr{}).kind() == Kind::Cidr);
  CHECK(Value::list({}).kind() == Kind::List);
  CHECK(Value::map({}).kind() == Kind::Map);
  CHECK(Value::unknown().is_unknown());

  CHECK(Value(1) == Value(int64_t{1}));
  CHECK_FALSE(Value(1) == Value(1.0));  // int and float are different kinds
  CHECK(Value::unknown() == Value::unknown());
  CHECK_FALSE(Value::unknown() == Value::null());
  CHECK(Value("a") == Value(std::string("a")));
  CHECK_FALSE(Value("a") == Value("b"));
  CHECK(Value(Duration{1000}) == Value(Duration{1000}));
  CHECK_FALSE(Value(Duration{1000}) == Value(ByteSize{1000}));

  Value list = Value::list({1, "two", Value::list({3.0})});
  Value same = Value::list({1, "two", Value::list({3.0})});
  Value other = Value::list({1, "two", Value::list({3})});
  CHECK(list == same);
  CHECK_FALSE(list == other);
  Value copy = list;  // shares the items
  CHECK(&copy.as_list() == &list.as_list());
  CHECK(copy == list);

  Value map = Value::map({{"a", 1}, {"b", Value::list({true})}});
  CHECK(map == Value::map({{"b", Value::list({true})}, {"a", 1}}));  // order does not matter
  CHECK_FALSE(map == Value::map({{"a", 1}}));
  CHECK_FALSE(map == Value::map({{"a", 1}, {"c", Value::list({true})}}));
  CHECK_FALSE(map == Value::map({{"a", 2}, {"b", Value::list({true})}}));
  REQUIRE(map.find("a") != nullptr);
  CHECK(*map.find("a") == Value(1));
  CHECK(map.find("z") == nullptr);
  CHECK(Value(1).find("a") == nullptr);
  CHECK(map.as_map()[1].first == "b");
}

TEST_CASE("contains_unknown looks inside lists and maps") {
  CHECK(Value::unknown().contains_unknown());
  CHECK_FALSE(Value(1).contains_unknown());
  CHECK_FALSE(Value::map({{"a", Value::list({1, 2})}}).contains_unknown());
  CHECK(Value::map({{"a", Value::list({1, Value::unknown()})}}).contains_unknown());
  CHECK(Value::list({Value::map({{"x", Value::unknown()}})}).contains_unknown());
}

TEST_CASE("kind_name uses the KCL spelling") {
  CHECK(kind_name(Kind::Int) == "int");
  CHECK(kind_name(Kind::Bytes) == "bytes");
  CHECK(kind_name(Kind::Ip) == "ip");
  CHECK(kind_name(Kind::Map) == "map");
  CHECK(kind_name(Kind::Unknown) == "unknown");
}

TEST_CASE("format_float prints the shortest round-trip form") {
  CHECK(format_float(2500.0) == "2500");
  CHECK(format_float(0.5) == "0.5");
  CHECK(format_float(0.1) == "0.1");
  CHECK(format_float(12.5) == "12.5");
  CHECK(format_float(-3.0) == "-3");
  CHECK(format_float(1e21) == "1e+21");
  CHECK(format_float(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(format_float(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(format_float(std::nan("")) == "nan");
}

TEST_CASE("durations: parse and print") {
  struct Case {
    std::string_view text;
    int64_t ms;
  };
  for (Case c :
       {Case{"250ms", 250}, Case{"30s", 30'000}, Case{"10m", 600'000}, Case{"1h30m", 5'400'000},
        Case{"2d", 172'800'000}, Case{"1d2h", 93'600'000}, Case{"1m30s500ms", 90'500},
        Case{"0s", 0}, Case{"1_000ms", 1000}, Case{"90m", 5'400'000}, Case{"-5m", -300'000}}) {
    auto d = parse_duration(c.text);
    REQUIRE_MESSAGE(d.has_value(), c.text);
    CHECK(d->ms == c.ms);
  }
  CHECK(to_string(Duration{5'400'000}) == "1h30m");
  CHECK(to_string(Duration{0}) == "0s");
  CHECK(to_string(Duration{250}) == "250ms");
  CHECK(to_string(Duration{1500}) == "1s500ms");
  CHECK(to_string(Duration{172'800'000}) == "2d");
  CHECK(to_string(Duration{90'061'001}) == "1d1h1m1s1ms");
  CHECK(to_string(Duration{-90'000}) == "-1m30s");
  // Printed forms parse back to the same value.
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{61'000}, int64_t{86'400'001},
                     int64_t{-3'600'000}, std::numeric_limits<int64_t>::max()}) {
    auto back = parse_duration(to_string(Duration{ms}));
    REQUIRE(back.has_value());
    CHECK(back->ms == ms);
  }
}

TEST_CASE("durations: errors say how to write them") {
  std::string e = error_of(parse_duration, "5mins");
  CHECK(contains(e, "`mins`"));
  CHECK(contains(e, "write `5m`"));
  CHECK(contains(error_of(parse_duration, "2hours"), "write `2h`"));
  CHECK(contains(error_of(parse_duration, "1hour30mins"), "write `1h30m`"));
  CHECK(contains(error_of(parse_duration, "30m1h"), "write `1h30m`"));  // order
  CHECK(contains(error_of(parse_duration, "1m1m"), "largest to smallest"));
  CHECK(contains(error_of(parse_duration, "1.5h"), "write `1h30m`"));
  CHECK(contains(error_of(parse_duration, "5fortnights"), "units are ms, s, m, h and d"));
  CHECK(contains(error_of(parse_duration, "30"), "needs a unit"));
  CHECK(contains(error_of(parse_duration, ""), "empty"));
  CHECK(contains(error_of(parse_duration, "5 m"), "not a duration"));
  CHECK(contains(error_of(parse_duration, "1__0s"), "`_`"));
  CHECK(contains(error_of(parse_duration, "999999999999d"), "too long"));
  CHECK_FALSE(parse_duration("nope").has_value());  // the error pointer is optional
}

TEST_CASE("data sizes: parse and print") {
  struct Case {
    std::string_view text;
    int64_t bytes;
  };
  for (Case c :
       {Case{"512Mi", 512LL << 20}, Case{"16Gi", 16LL << 30}, Case{"100G", 100'000'000'000},
        Case{"1Ti", 1LL << 40}, Case{"64k", 64'000}, Case{"1_000", 1000}, Case{"1Ki", 1024},
        Case{"2Pi", 2LL << 50}, Case{"3E", 3'000'000'000'000'000'000}, Case{"7Ei", 7LL << 60},
        Case{"1500", 1500}, Case{"0", 0}, Case{"-1Gi", -(1LL << 30)}}) {
    auto b = parse_bytes(c.text);
    REQUIRE_MESSAGE(b.has_value(), c.text);
    CHECK(b->bytes == c.bytes);
  }
  CHECK(to_string(*parse_bytes("1024Mi")) == "1Gi");
  CHECK(to_string(*parse_bytes("1000M")) == "1G");
  CHECK(to_string(ByteSize{1500}) == "1500");
  CHECK(to_string(ByteSize{0}) == "0");
  CHECK(to_string(ByteSize{1024}) == "1Ki");
  CHECK(to_string(ByteSize{1000}) == "1k");
  CHECK(to_string(ByteSize{1536 * 1024}) == "1536Ki");
  CHECK(to_string(ByteSize{2'048'000}) == "2000Ki");  // binary units win when they divide
  CHECK(to_string(ByteSize{1'500'000}) == "1500k");
  CHECK(to_string(ByteSize{-(1LL << 30)}) == "-1Gi");
  for (int64_t bytes : {int64_t{1}, int64_t{999}, int64_t{3} << 40,
                        std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    auto back = parse_bytes(to_string(ByteSize{bytes}));
    REQUIRE(back.has_value());
    CHECK(back->bytes == bytes);
  }
}

TEST_CASE("data sizes: errors suggest the right spelling") {
  std::string e = error_of(parse_bytes, "16GB");
  CHECK(contains(e, "`GB`"));
  CHECK(contains(e, "`16G`"));
  CHECK(contains(e, "`16Gi`"));
  CHECK(contains(error_of(parse_bytes, "64K"), "`64k`"));
  CHECK(contains(error_of(parse_bytes, "64K"), "`64Ki`"));
  CHECK(contains(error_of(parse_bytes, "2GiB"), "write `2Gi`"));
  CHECK(contains(error_of(parse_bytes, "10mb"), "`10M`"));
  CHECK(contains(error_of(parse_bytes, "5Zi"), "Ki Mi Gi"));
  CHECK(contains(error_of(parse_bytes, "1.5Gi"), "write `1536Mi`"));
  CHECK(contains(error_of(parse_bytes, "8Ei"), "too large"));
  CHECK(contains(error_of(parse_bytes, "99999999999999999999"), "too large"));
  CHECK(contains(error_of(parse_bytes, "1Gi2Mi"), "not a data size"));
  CHECK(contains(error_of(parse_bytes, "1_Gi"), "`_`"));
  CHECK(contains(error_of(parse_bytes, ""), "empty"));
}

TEST_CASE("percents") {
  CHECK(parse_percent("40%")->value == 40.0);
  CHECK(parse_percent("12.5%")->value == 12.5);
  CHECK(parse_percent("0%")->value == 0.0);
  CHECK(to_string(Percent{40}) == "40%");
  CHECK(to_string(Percent{12.5}) == "12.5%");
  CHECK(to_string(*parse_percent(to_string(Percent{-7.25}))) == "-7.25%");
  CHECK(contains(error_of(parse_percent, "40"), "write `40%`"));
  CHECK(contains(error_of(parse_percent, "40 %"), "not a percent"));
  CHECK(contains(error_of(parse_percent, "%"), "not a percent"));
  CHECK(contains(error_of(parse_percent, "1.%"), "not a percent"));
}

TEST_CASE("versions: parse, print and errors") {
  auto v = parse_version("v1.29.4");
  REQUIRE(v.has_value());
  CHECK(v->major == 1);
  CHECK(v->minor == 29);
  CHECK(v->patch == 4);
  CHECK(v->prerelease.empty());
  CHECK(to_string(*v) == "v1.29.4");

  auto rc = parse_version("v1.30.0-rc.1");
  REQUIRE(rc.has_value());
  CHECK(rc->prerelease == "rc.1");
  CHECK(to_string(*rc) == "v1.30.0-rc.1");
  CHECK(to_string(*parse_version("v1.30.0-rc.1+build.5")) == "v1.30.0-rc.1");  // build dropped
  CHECK(to_string(*parse_version("v2.0.0+abc")) == "v2.0.0");
  CHECK(parse_version("v1.0.0-x-y.0a")->prerelease == "x-y.0a");

  CHECK(error_of(parse_version, "v1.29") == "a version needs three numbers: write `v1.29.0`");
  CHECK(error_of(parse_version, "v1") == "a version needs three numbers: write `v1.0.0`");
  CHECK(error_of(parse_version, "1.29.4") == "write versions with a leading `v`: `v1.29.4`");
  CHECK(contains(error_of(parse_version, "V1.2.3"), "`v1.2.3`"));
  CHECK(contains(error_of(parse_version, "v1.2.3.4"), "exactly three numbers"));
  CHECK(contains(error_of(parse_version, "v1.02.3"), "write `v1.2.3`"));
  CHECK(contains(error_of(parse_version, "v1.2.x"), "not a version"));
  CHECK(contains(error_of(parse_version, "v1.2.3-"), "empty prerelease identifier"));
  CHECK(contains(error_of(parse_version, "v1.2.3-rc..1"), "empty prerelease identifier"));
  CHECK(contains(error_of(parse_version, "v1.2.3-rc_1"), "letters, digits and `-`"));
  CHECK(contains(error_of(parse_version, "v1.2.3-01"), "leading zero"));
  CHECK(contains(error_of(parse_version, "v1.2.3+"), "empty build identifier"));
  CHECK(contains(error_of(parse_version, "v99999999999999999999.0.0"), "too large"));
  CHECK(contains(error_of(parse_version, ""), "empty"));
}

TEST_CASE("versions: semver precedence") {
  auto v = [](std::string_view text) {
    auto parsed = parse_version(text);
    REQUIRE_MESSAGE(parsed.has_value(), text);
    return *parsed;
  };
  // The ordering example of semver 2.0, plus the numeric parts.
  const char* ordered[] = {"v1.0.0-alpha",  "v1.0.0-alpha.1", "v1.0.0-alpha.beta", "v1.0.0-beta",
                           "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1",       "v1.0.0",
                           "v1.0.1",        "v1.2.0",         "v1.10.0",           "v2.0.0"};
  constexpr size_t n = sizeof(ordered) / sizeof(ordered[0]);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      int expected = i < j ? -1 : (i > j ? 1 : 0);
      CHECK_MESSAGE(compare(v(ordered[i]), v(ordered[j])) == expected,
                    ordered[i] << " vs " << ordered[j]);
    }
  }
  CHECK(compare(v("v1.0.0+a"), v("v1.0.0+b")) == 0);
  CHECK(compare(v("v1.0.0-99999999999999999999"), v("v1.0.0-100000000000000000000")) == -1);
}

TEST_CASE("IPv4 addresses") {
  auto ip = parse_ip("10.0.0.1");
  REQUIRE(ip.has_value());
  CHECK_FALSE(ip->v6);
  CHECK(ip->bytes[0] == 10);
  CHECK(ip->bytes[3] == 1);
  CHECK(to_string(*ip) == "10.0.0.1");
  CHECK(to_string(*parse_ip("255.255.255.255")) == "255.255.255.255");
  CHECK(to_string(*parse_ip("0.0.0.0")) == "0.0.0.0");
  CHECK(error_of(parse_ip, "300.1.2.3") == "`300` is not an IPv4 octet (0 to 255)");
  CHECK(contains(error_of(parse_ip, "10.0.1"), "four numbers"));
  CHECK(contains(error_of(parse_ip, "10.0.0.1.5"), "four numbers"));
  CHECK(contains(error_of(parse_ip, "10.01.0.1"), "leading zeros"));
  CHECK(contains(error_of(parse_ip, "10.a.0.1"), "`a` is not an IPv4 octet"));
  CHECK(contains(error_of(parse_ip, "10..0.1"), "is not an IPv4 octet"));
  CHECK(contains(error_of(parse_ip, ""), "empty"));
}

TEST_CASE("IPv6 addresses print per RFC 5952") {
  auto six = [](std::string_view text) {
    auto parsed = parse_ip(text);
    REQUIRE_MESSAGE(parsed.has_value(), text);
    CHECK(parsed->v6);
    return to_string(*parsed);
  };
  CHECK(six("fd00::1") == "fd00::1");
  CHECK(six("2001:0DB8:0000:0000:0000:0000:0000:0001") == "2001:db8::1");
  CHECK(six("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");     // first of two equal runs
  CHECK(six("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");  // one zero group stays
  CHECK(six("2001:0:0:1:0:0:0:1") == "2001:0:0:1::1");           // the longest run
  CHECK(six("::") == "::");
  CHECK(six("::1") == "::1");
  CHECK(six("1::") == "1::");
  CHECK(six("fd00:10::") == "fd00:10::");
  CHECK(six("0:0:0:0:0:0:0:0") == "::");
  CHECK(six("1:2:3:4:5:6:7:8") == "1:2:3:4:5:6:7:8");
  CHECK(six("::ffff:10.0.0.1") == "::ffff:10.0.0.1");
  CHECK(six("64:ff9b::192.0.2.33") == "64:ff9b::c000:221");
  CHECK(contains(error_of(parse_ip, "1::2::3"), "only once"));
  CHECK(contains(error_of(parse_ip, "12345::1"), "`12345` is not an IPv6 group"));
  CHECK(contains(error_of(parse_ip, "fg::1"), "`fg` is not an IPv6 group"));
  CHECK(contains(error_of(parse_ip, "1:2:3:4:5:6:7"), "eight groups"));
  CHECK(contains(error_of(parse_ip, "1:2:3:4:5:6:7:8:9"), "eight groups"));
  CHECK(contains(error_of(parse_ip, "1:2:3:4::5:6:7:8"), "too many groups"));
  CHECK(contains(error_of(parse_ip, ":1:2:3:4:5:6:7"), "empty group"));
  CHECK(contains(error_of(parse_ip, "::1:300.0.0.1"), "`300` is not an IPv4 octet"));
  CHECK(contains(error_of(parse_ip, "fe80::1%eth0"), "zone"));
}

TEST_CASE("CIDRs keep the address as written") {
  auto c = parse_cidr("10.233.64.0/18");
  REQUIRE(c.has_value());
  CHECK(c->prefix == 18);
  CHECK(to_string(*c) == "10.233.64.0/18");
  CHECK(to_string(*parse_cidr("10.0.0.5/8")) == "10.0.0.5/8");  // host bits are not masked
  CHECK(to_string(*parse_cidr("fd00:10:0::/56")) == "fd00:10::/56");
  CHECK(to_string(*parse_cidr("0.0.0.0/0")) == "0.0.0.0/0");
  CHECK(parse_cidr("::/128")->prefix == 128);

  std::string e = error_of(parse_cidr, "300.1.2.3/40");
  CHECK(contains(e, "`300` is not an IPv4 octet (0 to 255)"));
  CHECK(contains(e, "prefix length 40 is longer than 32"));
  CHECK(error_of(parse_cidr, "10.0.0.0/33") == "prefix length 33 is longer than 32");
  CHECK(error_of(parse_cidr, "fd00::/129") == "prefix length 129 is longer than 128");
  CHECK(contains(error_of(parse_cidr, "10.0.0.0"), "write `10.0.0.0/24`"));
  CHECK(contains(error_of(parse_cidr, "10.0.0.0/"), "needs a prefix length"));
  CHECK(contains(error_of(parse_cidr, "10.0.0.0/x"), "not a prefix length"));
  CHECK(contains(error_of(parse_cidr, "10.0.0.0/08"), "leading zeros"));
}

TEST_CASE("attribute types: spelling and admission") {
  using K = AttrType::Kind;
  CHECK(AttrType::of(K::Int).to_string() == "int");
  CHECK(AttrType::of(K::Any).to_string() == "any");
  CHECK(AttrType::list_of(AttrType::of(K::String)).to_string() == "[string]");
  CHECK(AttrType::map_of(AttrType::of(K::Bytes)).to_string() == "{string: bytes}");
  CHECK(AttrType::list_of(AttrType::map_of(AttrType::of(K::Cidr))).to_string() ==
        "[{string: cidr}]");

  CHECK(AttrType::of(K::Int).admits(Value(1)));
  CHECK_FALSE(AttrType::of(K::Int).admits(Value(1.0)));
  CHECK(AttrType::of(K::Float).admits(Value(1.0)));
  CHECK(AttrType::of(K::Float).admits(Value(1)));  // ints widen
  CHECK_FALSE(AttrType::of(K::String).admits(Value(Duration{1})));
  CHECK(AttrType::of(K::Duration).admits(Value(Duration{1})));
  CHECK(AttrType::of(K::Cidr).admits(Value(Cidr{})));
  CHECK_FALSE(AttrType::of(K::Ip).admits(Value(Cidr{})));
  CHECK_FALSE(AttrType::of(K::Int).admits(Value::null()));
  CHECK_FALSE(AttrType::of(K::Int).admits(Value::unknown()));
  CHECK(AttrType::of(K::Any).admits(Value::map({{"a", Value::unknown()}})));

  AttrType ints = AttrType::list_of(AttrType::of(K::Int));
  CHECK(ints.admits(Value::list({1, 2})));
  CHECK(ints.admits(Value::list({})));
  CHECK_FALSE(ints.admits(Value::list({1, "2"})));
  CHECK_FALSE(ints.admits(Value::map({{"a", 1}})));
  AttrType sizes = AttrType::map_of(AttrType::of(K::Bytes));
  CHECK(sizes.admits(Value::map({{"a", ByteSize{1}}})));
  CHECK_FALSE(sizes.admits(Value::map({{"a", 1}})));
}

TEST_CASE("schema lookups") {
  ResourceSchema machine{"sim.machine",
                         "a machine",
                         {{"name", AttrType::of(AttrType::Kind::String),
                           AttributeSchema::Presence::Required, true, false, ""},
                          {"id", AttrType::of(AttrType::Kind::String),
                           AttributeSchema::Presence::Computed, false, false, ""}}};
  ProviderSchema sim{"sim", {}, {machine}};
  REQUIRE(machine.find("id") != nullptr);
  CHECK_FALSE(machine.find("id")->is_input());
  CHECK(machine.find("name")->is_input());
  CHECK(machine.find("nope") == nullptr);
  REQUIRE(sim.find("sim.machine") != nullptr);
  CHECK(sim.find("sim.machine")->attributes.size() == 2);
  CHECK(sim.find("sim.disk") == nullptr);
}
