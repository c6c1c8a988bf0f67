// CIDR arithmetic on the 16-byte IpAddress form (IPv4 uses the first 4 bytes).
#include "providers/sim/addressing.h"

#include <algorithm>

namespace kc::sim {
namespace {

int width(const sdk::IpAddress& ip) {
  return ip.v6 ? 128 : 32;
}

bool bit(const sdk::IpAddress& ip, int index) {
  return (ip.bytes[static_cast<size_t>(index / 8)] >> (7 - index % 8)) & 1;
}

// True when the first `prefix` bits of `a` and `b` agree.
bool same_prefix(const sdk::IpAddress& a, const sdk::IpAddress& b, int prefix) {
  for (int i = 0; i < prefix; ++i) {
    if (bit(a, i) != bit(b, i)) return false;
  }
  return true;
}

// `base` plus `offset`, carrying across the address's bytes; nullopt on overflow.
std::optional<sdk::IpAddress> add(const sdk::IpAddress& base, uint64_t offset) {
  sdk::IpAddress result = base;
  int byte = width(base) / 8 - 1;
  uint64_t carry = offset;
  while (carry != 0 && byte >= 0) {
    uint64_t sum = result.bytes[static_cast<size_t>(byte)] + (carry & 0xff);
    result.bytes[static_cast<size_t>(byte)] = static_cast<uint8_t>(sum & 0xff);
    carry = (carry >> 8) + (sum >> 8);
    --byte;
  }
  if (carry != 0) return std::nullopt;
  return result;
}

}  // namespace

sdk::Cidr network_of(const sdk::Cidr& cidr) {
  sdk::Cidr network = cidr;
  for (int i = cidr.prefix; i < width(cidr.address); ++i) {
    network.address.bytes[static_cast<size_t>(i / 8)] &= static_cast<uint8_t>(~(1u << (7 - i % 8)));
  }
  return network;
}

bool is_network_address(const sdk::Cidr& cidr) {
  return network_of(cidr) == cidr;
}

bool contains(const sdk::Cidr& outer, const sdk::Cidr& inner) {
  return outer.address.v6 == inner.address.v6 && inner.prefix >= outer.prefix &&
         same_prefix(outer.address, inner.address, outer.prefix);
}

bool contains(const sdk::Cidr& range, const sdk::IpAddress& ip) {
  return range.address.v6 == ip.v6 && same_prefix(range.address, ip, range.prefix);
}

bool overlaps(const sdk::Cidr& a, const sdk::Cidr& b) {
  return contains(a, b) || contains(b, a);
}

std::optional<sdk::IpAddress> first_free_host(const sdk::Cidr& subnet,
                                              const std::vector<sdk::IpAddress>& used) {
  const int host_bits = width(subnet.address) - subnet.prefix;
  // The last usable offset: below the IPv4 broadcast address; IPv6 has none. Huge IPv6 ranges are
  // capped, which no simulated subnet comes near.
  uint64_t last = host_bits >= 63 ? (uint64_t{1} << 62) : (uint64_t{1} << host_bits) - 1;
  if (!subnet.address.v6) last = last == 0 ? 0 : last - 1;
  const sdk::Cidr network = network_of(subnet);
  for (uint64_t offset = kFirstHostOffset; offset <= last; ++offset) {
    std::optional<sdk::IpAddress> candidate = add(network.address, offset);
    if (!candidate) return std::nullopt;
    if (std::find(used.begin(), used.end(), *candidate) == used.end()) return candidate;
  }
  return std::nullopt;
}

sdk::IpAddress load_balancer_address(int64_t counter) {
  constexpr int64_t kHostsPerBlock = 254;
  const int64_t k = (std::max<int64_t>(counter, 1) - 1) % (kHostsPerBlock * 256);
  sdk::IpAddress ip;
  ip.bytes[0] = 172;
  ip.bytes[1] = 31;
  ip.bytes[2] = static_cast<uint8_t>(k / kHostsPerBlock);
  ip.bytes[3] = static_cast<uint8_t>(k % kHostsPerBlock + 1);
  return ip;
}

}  // namespace kc::sim
