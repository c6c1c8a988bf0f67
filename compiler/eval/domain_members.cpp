// Domain members (domain_members.h), the same set as compiler/sema/domain_members.cpp.
#include "compiler/eval/domain_members.h"

#include <cstdint>
#include <limits>

#include "compiler/eval/net.h"

namespace kc::eval {

std::optional<sdk::Value> domain_member(const sdk::Value& value, std::string_view member) {
  using sdk::Kind;
  using sdk::Value;
  switch (value.kind()) {
    case Kind::Unknown:
      return Value::unknown();
    case Kind::Version: {
      const sdk::Version& v = value.as_version();
      if (member == "major") return Value(v.major);
      if (member == "minor") return Value(v.minor);
      if (member == "patch") return Value(v.patch);
      if (member == "prerelease") return Value(v.prerelease);
      return std::nullopt;
    }
    case Kind::Cidr: {
      const sdk::Cidr& c = value.as_cidr();
      if (member == "prefix") return Value(int64_t{c.prefix});
      if (member == "network") return Value(net::network(c).address);
      if (member == "size") {
        return Value(net::address_count(c).value_or(std::numeric_limits<int64_t>::max()));
      }
      return std::nullopt;
    }
    case Kind::Duration:
      if (member == "seconds") return Value(value.as_duration().ms / 1000);
      if (member == "ms") return Value(value.as_duration().ms);
      return std::nullopt;
    case Kind::Bytes:
      if (member == "bytes") return Value(value.as_bytes().bytes);
      return std::nullopt;
    case Kind::Percent:
      if (member == "value") return Value(value.as_percent().value);
      return std::nullopt;
    case Kind::Ip:
      if (member == "v6") return Value(value.as_ip().v6);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace kc::eval
