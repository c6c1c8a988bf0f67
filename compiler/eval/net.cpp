// CIDR arithmetic (net.h). Addresses are numbers in unsigned 128-bit arithmetic, IPv4 in the low 32
// bits; a shift by the whole width (a /0 network) is the one case guarded by hand.
#include "compiler/eval/net.h"

#include <fmt/format.h>

#include <algorithm>

namespace kc::eval::net {
namespace {

using U128 = unsigned __int128;

U128 to_number(const sdk::IpAddress& ip) {
  U128 n = 0;
  for (int i = 0; i < address_bits(ip) / 8; ++i)
    n = n << 8 | ip.bytes[static_cast<size_t>(i)];
  return n;
}

sdk::IpAddress from_number(U128 n, bool v6) {
  sdk::IpAddress ip;
  ip.v6 = v6;
  for (int i = (v6 ? 16 : 4) - 1; i >= 0; --i) {
    ip.bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(n & 0xff);
    n >>= 8;
  }
  return ip;
}

// 2^bits for bits < 128.
U128 power_of_two(int bits) {
  return U128{1} << bits;
}

// The host bits of a network with `host_bits` of them (all 128 for ::/0).
U128 host_mask(int host_bits) {
  return host_bits >= 128 ? ~U128{0} : power_of_two(host_bits) - 1;
}

int host_bits(const sdk::Cidr& c) {
  return address_bits(c.address) - c.prefix;
}

U128 network_number(const sdk::Cidr& c) {
  return to_number(c.address) & ~host_mask(host_bits(c));
}

// Decimal text of a 128-bit count (fmt cannot print unsigned __int128 portably).
std::string decimal(U128 n) {
  if (n == 0) return "0";
  std::string out;
  while (n > 0) {
    out += static_cast<char>('0' + static_cast<int>(n % 10));
    n /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::nullopt_t fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

}  // namespace

int address_bits(const sdk::IpAddress& ip) {
  return ip.v6 ? 128 : 32;
}

sdk::Cidr network(const sdk::Cidr& c) {
  return sdk::Cidr{from_number(network_number(c), c.address.v6), c.prefix};
}

sdk::IpAddress last_address(const sdk::Cidr& c) {
  return from_number(network_number(c) | host_mask(host_bits(c)), c.address.v6);
}

std::optional<int64_t> address_count(const sdk::Cidr& c) {
  int bits = host_bits(c);
  if (bits >= 63) return std::nullopt;
  return int64_t{1} << bits;
}

std::optional<sdk::Cidr> subnet(const sdk::Cidr& base, int64_t newbits, int64_t index,
                                std::string* error) {
  const sdk::Cidr net = network(base);
  const int width = address_bits(base.address);
  const int free_bits = host_bits(base);
  if (newbits < 0)
    return fail(error, fmt::format("newbits must not be negative (got {})", newbits));
  if (index < 0) {
    return fail(error, fmt::format("the subnet number must not be negative (got {})", index));
  }
  if (newbits > free_bits) {
    return fail(error,
                fmt::format("`{}` cannot be extended by {} bits: /{} + {} is longer than /{}",
                            sdk::to_string(net), newbits, base.prefix, newbits, width));
  }
  const int prefix = base.prefix + static_cast<int>(newbits);
  if (newbits < 63 && index >= (int64_t{1} << newbits)) {
    const int64_t count = int64_t{1} << newbits;
    return fail(
        error,
        fmt::format("`{}` has {} subnet{} of /{} (numbers 0 to {}); {} is past the end",
                    sdk::to_string(net), count, count == 1 ? "" : "s", prefix, count - 1, index));
  }
  U128 number = network_number(base);
  if (index != 0) number |= static_cast<U128>(index) << (width - prefix);
  return sdk::Cidr{from_number(number, base.address.v6), static_cast<uint8_t>(prefix)};
}

std::optional<sdk::IpAddress> host(const sdk::Cidr& c, int64_t n, std::string* error) {
  const int bits = host_bits(c);
  // The magnitude of n, exact even for INT64_MIN.
  const U128 magnitude = n >= 0 ? static_cast<U128>(n) : static_cast<U128>(-(n + 1)) + 1;
  if (bits < 128) {
    const U128 count = power_of_two(bits);
    if (n >= 0 ? magnitude >= count : magnitude > count) {
      return fail(error,
                  fmt::format("host number {} is outside `{}`, which has {} addresses (0 to {}, "
                              "or -{} to -1 counting from the end)",
                              n, sdk::to_string(network(c)), decimal(count), decimal(count - 1),
                              decimal(count)));
    }
  }
  // Counting from the end: the size minus |n|, which wraps correctly for ::/0 (size 2^128).
  const U128 size = bits >= 128 ? 0 : power_of_two(bits);
  const U128 offset = n >= 0 ? magnitude : size - magnitude;
  return from_number(network_number(c) + offset, c.address.v6);
}

bool contains(const sdk::Cidr& c, const sdk::IpAddress& ip) {
  if (ip.v6 != c.address.v6) return false;
  return (to_number(ip) & ~host_mask(host_bits(c))) == network_number(c);
}

bool contains(const sdk::Cidr& outer, const sdk::Cidr& inner) {
  return inner.address.v6 == outer.address.v6 && inner.prefix >= outer.prefix &&
         contains(outer, inner.address);
}

bool overlaps(const sdk::Cidr& a, const sdk::Cidr& b) {
  return contains(a, b) || contains(b, a);
}

}  // namespace kc::eval::net
