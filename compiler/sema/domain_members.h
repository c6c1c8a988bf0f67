// The members of domain values (LANGUAGE.md section 3: `v.major`, `c.prefix`, `d.seconds`, ...):
// which exist on each domain type and their types. Pure; the checker reports unknown members.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/sema/types.h"

namespace kc::sema {

// The type of `x.member` for `x` of domain type `kind`; nullopt when there is no such member (also
// for every kind that is not a domain type). The members:
//   version:  major, minor, patch (int), prerelease (string, "" for a release)
//   cidr:     prefix (int), network (ip: host bits cleared), size (int: the number of addresses,
//             saturating at 9223372036854775807 for IPv6 prefixes up to /65)
//   duration: seconds (int, truncated toward zero), ms (int)
//   bytes:    bytes (int)
//   percent:  value (float: 40% is 40.0)
//   ip:       v6 (bool)
std::optional<TypeId> domain_member_type(TypeTable& types, TypeKind kind, std::string_view member);

// The member names of `kind`, in the order above (empty for kinds without members), for
// "did you mean".
std::vector<std::string> domain_member_names(TypeKind kind);

}  // namespace kc::sema
