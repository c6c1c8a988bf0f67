// CIDR arithmetic behind std/net and the `cidr` members: Terraform's cidrsubnet/cidrhost,
// containment and overlap. Pure; IPv4 and IPv6 alike, exact in 128-bit arithmetic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "providers/sdk/value.h"

namespace kc::eval::net {

// 32 for IPv4, 128 for IPv6.
int address_bits(const sdk::IpAddress& ip);

// The network of `c`: its address with the host bits cleared (`10.1.2.3/16` -> `10.1.0.0/16`).
sdk::Cidr network(const sdk::Cidr& c);
// The last address of `c`'s network (the IPv4 broadcast address).
sdk::IpAddress last_address(const sdk::Cidr& c);
// How many addresses `c` spans, or nullopt when that is 2^63 or more (IPv6 prefixes up to /65).
std::optional<int64_t> address_count(const sdk::Cidr& c);

// Terraform's cidrsubnet: the `index`-th subnet of `base`'s network with a prefix `newbits` longer.
// nullopt with `error` set when the prefix would pass 32 (128 for IPv6), `newbits` or `index` is
// negative, or `index` does not fit in `newbits` bits.
std::optional<sdk::Cidr> subnet(const sdk::Cidr& base, int64_t newbits, int64_t index,
                                std::string* error);

// Terraform's cidrhost: the `n`-th address of `c`'s network; a negative `n` counts from the end
// (-1 is the last address). nullopt with `error` set when `n` is outside the network.
std::optional<sdk::IpAddress> host(const sdk::Cidr& c, int64_t n, std::string* error);

// Whether `ip` lies in `c`'s network. Addresses of the other family are never contained.
bool contains(const sdk::Cidr& c, const sdk::IpAddress& ip);
// Whether every address of `inner` lies in `outer`.
bool contains(const sdk::Cidr& outer, const sdk::Cidr& inner);
// Whether `a` and `b` share an address (for CIDRs: one contains the other).
bool overlaps(const sdk::Cidr& a, const sdk::Cidr& b);

}  // namespace kc::eval::net
