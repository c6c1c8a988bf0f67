// The values of domain members (`v.major`, `c.network`, `d.seconds`, ...); the checker types them
// with compiler/sema/domain_members.h, which lists each member and its meaning.
#pragma once

#include <optional>
#include <string_view>

#include "providers/sdk/value.h"

namespace kc::eval {

// `value.member`, or nullopt when `value` has no such member. An unknown value gives an unknown
// member (whatever the name: the checker already vouched for it).
std::optional<sdk::Value> domain_member(const sdk::Value& value, std::string_view member);

}  // namespace kc::eval
