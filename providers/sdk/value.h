// Value: the data that crosses from the compiler to the runtime and between the runtime and
// providers. Immutable, cheap to copy (lists and maps are shared), serialisable. Domain values
// (durations, sizes, versions, addresses) keep their meaning; `Unknown` stands for a value known
// only after apply.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kc::sdk {

struct Duration {
  int64_t ms = 0;
  friend auto operator<=>(const Duration&, const Duration&) = default;
};
struct ByteSize {
  int64_t bytes = 0;
  friend auto operator<=>(const ByteSize&, const ByteSize&) = default;
};
struct Percent {
  double value = 0;  // 40% is 40.0
  friend auto operator<=>(const Percent&, const Percent&) = default;
};
struct Version {
  int64_t major = 0, minor = 0, patch = 0;
  std::string prerelease;  // "rc.1" for v1.30.0-rc.1; empty for a release
  friend bool operator==(const Version&, const Version&) = default;
};
struct IpAddress {
  std::array<uint8_t, 16> bytes{};  // IPv4 uses the first 4 bytes
  bool v6 = false;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};
struct Cidr {
  IpAddress address;  // the network address as written
  uint8_t prefix = 0;
  friend bool operator==(const Cidr&, const Cidr&) = default;
};
struct Unknown {
  friend bool operator==(const Unknown&, const Unknown&) = default;
};

class Value;
using List = std::vector<Value>;
// An ordered map with string keys: records, schema instances and maps alike. Keys are unique.
using Entries = std::vector<std::pair<std::string, Value>>;

enum class Kind : uint8_t {
  Null,
  Bool,
  Int,
  Float,
  String,
  Duration,
  Bytes,
  Percent,
  Version,
  Ip,
  Cidr,
  List,
  Map,
  Unknown
};
std::string_view kind_name(Kind kind);

class Value {
 public:
  Value() = default;  // null
  static Value null() { return Value(); }
  static Value unknown() { return Value(Unknown{}); }
  Value(bool b) : data_(b) {}
  Value(int64_t i) : data_(i) {}
  Value(int i) : data_(int64_t{i}) {}
  Value(double f) : data_(f) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(Duration d) : data_(d) {}
  Value(ByteSize b) : data_(b) {}
  Value(Percent p) : data_(p) {}
  Value(Version v) : data_(std::move(v)) {}
  Value(IpAddress ip) : data_(ip) {}
  Value(Cidr c) : data_(c) {}
  Value(Unknown u) : data_(u) {}
  static Value list(List items);
  static Value map(Entries entries);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::Null; }
  bool is_unknown() const { return kind() == Kind::Unknown; }
  // True when this value or anything inside it is unknown.
  bool contains_unknown() const;

  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_float() const { return std::get<double>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  Duration as_duration() const { return std::get<Duration>(data_); }
  ByteSize as_bytes() const { return std::get<ByteSize>(data_); }
  Percent as_percent() const { return std::get<Percent>(data_); }
  const Version& as_version() const { return std::get<Version>(data_); }
  const IpAddress& as_ip() const { return std::get<IpAddress>(data_); }
  const Cidr& as_cidr() const { return std::get<Cidr>(data_); }
  const List& as_list() const;
  const Entries& as_map() const;

  // Map lookup; nullptr when absent or when this is not a map.
  const Value* find(std::string_view key) const;

  friend bool operator==(const Value& a, const Value& b);

 private:
  using ListPtr = std::shared_ptr<const List>;
  using MapPtr = std::shared_ptr<const Entries>;
  // The order of alternatives matches Kind.
  std::variant<std::monostate, bool, int64_t, double, std::string, Duration, ByteSize, Percent,
               Version, IpAddress, Cidr, ListPtr, MapPtr, Unknown>
      data_;
};

// ---- Canonical text forms (LANGUAGE.md section 8a) and parsing of literals ----
std::string to_string(Duration d);           // 1h30m, 0s, 250ms
std::string to_string(ByteSize b);           // 1Gi, 1G, 1500
std::string to_string(Percent p);            // 40%, 12.5%
std::string to_string(const Version& v);     // v1.29.4, v1.30.0-rc.1
std::string to_string(const IpAddress& ip);  // 10.0.0.1, fd00::1 (RFC 5952)
std::string to_string(const Cidr& c);        // 10.0.0.0/16
// A KCL string literal with quotes and escapes: "a\"b", "\${x}" for a literal `${`.
std::string quote_string(std::string_view text);
// Shortest round-trip form of a float ("0.5", "2500.0" prints as "2500").
std::string format_float(double f);

// Parsers return nullopt and set `error` (a sentence saying what is wrong and how to write it) on
// failure. They accept exactly the literal syntax of LANGUAGE.md section 2.
std::optional<Duration> parse_duration(std::string_view text, std::string* error = nullptr);
std::optional<ByteSize> parse_bytes(std::string_view text, std::string* error = nullptr);
std::optional<Percent> parse_percent(std::string_view text, std::string* error = nullptr);
// `v` required: "v1.29.4", "v1.30.0-rc.1".
std::optional<Version> parse_version(std::string_view text, std::string* error = nullptr);
// IPv4 dotted quad or IPv6.
std::optional<IpAddress> parse_ip(std::string_view text, std::string* error = nullptr);
std::optional<Cidr> parse_cidr(std::string_view text, std::string* error = nullptr);

// Semver precedence: -1, 0, 1.
int compare(const Version& a, const Version& b);

}  // namespace kc::sdk
