// Address arithmetic of the simulated network: CIDR containment and overlap, and the host
// addresses subnets and load balancers hand out. IPv4 and IPv6 alike.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "providers/sdk/value.h"

namespace kc::sim {

// The first host offset a subnet hands out: .0 to .3 are reserved, as in public clouds.
inline constexpr uint64_t kFirstHostOffset = 4;

// True when no host bits are set (10.0.0.0/16, not 10.0.0.1/16).
bool is_network_address(const sdk::Cidr& cidr);
// `cidr` with its host bits cleared.
sdk::Cidr network_of(const sdk::Cidr& cidr);
// True when every address of `inner` is in `outer` (same family).
bool contains(const sdk::Cidr& outer, const sdk::Cidr& inner);
// True when `ip` is in `range`.
bool contains(const sdk::Cidr& range, const sdk::IpAddress& ip);
// True when the two ranges share an address.
bool overlaps(const sdk::Cidr& a, const sdk::Cidr& b);

// The lowest host address of `subnet`, from offset kFirstHostOffset up (never the IPv4 broadcast
// address), that is not in `used`; nullopt when the subnet is full.
std::optional<sdk::IpAddress> first_free_host(const sdk::Cidr& subnet,
                                              const std::vector<sdk::IpAddress>& used);

// The address of load balancer number `counter` (1-based): hosts .1 to .254 of successive /24
// blocks of 172.31.0.0/16, wrapping after 65024.
sdk::IpAddress load_balancer_address(int64_t counter);

}  // namespace kc::sim
