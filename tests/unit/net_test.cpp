// CIDR arithmetic (compiler/eval/net.h): Terraform's cidrsubnet/cidrhost results, IPv6, the /0,
// /32 and /128 edges and out-of-range numbers.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "compiler/eval/net.h"

namespace {

namespace net = kc::eval::net;
using kc::sdk::Cidr;
using kc::sdk::IpAddress;

Cidr cidr(std::string_view text) {
  auto c = kc::sdk::parse_cidr(text);
  REQUIRE(c.has_value());
  return *c;
}
IpAddress ip(std::string_view text) {
  auto a = kc::sdk::parse_ip(text);
  REQUIRE(a.has_value());
  return *a;
}

std::string subnet(std::string_view base, int64_t newbits, int64_t index) {
  std::string error;
  auto out = net::subnet(cidr(base), newbits, index, &error);
  return out ? kc::sdk::to_string(*out) : "error: " + error;
}

std::string host(std::string_view base, int64_t n) {
  std::string error;
  auto out = net::host(cidr(base), n, &error);
  return out ? kc::sdk::to_string(*out) : "error: " + error;
}

}  // namespace

TEST_SUITE("net") {
  TEST_CASE("network clears host bits; last address and size") {
    CHECK(kc::sdk::to_string(net::network(cidr("10.1.2.3/16"))) == "10.1.0.0/16");
    CHECK(kc::sdk::to_string(net::network(cidr("fd00::1:2/112"))) == "fd00::1:0/112");
    CHECK(kc::sdk::to_string(net::network(cidr("10.1.2.3/0"))) == "0.0.0.0/0");
    CHECK(kc::sdk::to_string(net::network(cidr("10.1.2.3/32"))) == "10.1.2.3/32");
    CHECK(kc::sdk::to_string(net::last_address(cidr("10.12.112.0/20"))) == "10.12.127.255");
    CHECK(kc::sdk::to_string(net::last_address(cidr("::/0"))) ==
          "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    CHECK(net::address_count(cidr("10.0.0.0/24")) == 256);
    CHECK(net::address_count(cidr("0.0.0.0/0")) == int64_t{1} << 32);
    CHECK(net::address_count(cidr("10.0.0.1/32")) == 1);
    CHECK(net::address_count(cidr("fd00::/66")) == int64_t{1} << 62);
    CHECK_FALSE(net::address_count(cidr("fd00::/65")).has_value());
    CHECK_FALSE(net::address_count(cidr("::/0")).has_value());
    CHECK(net::address_count(cidr("fd00::1/128")) == 1);
  }

  TEST_CASE("subnet follows Terraform's cidrsubnet") {
    // The examples of Terraform's documentation.
    CHECK(subnet("172.16.0.0/12", 4, 2) == "172.18.0.0/16");
    CHECK(subnet("10.1.2.0/24", 4, 15) == "10.1.2.240/28");
    CHECK(subnet("fd00:fd12:3456:7890::/56", 16, 162) == "fd00:fd12:3456:7800:a200::/72");
    // Host bits of the base are ignored; newbits 0 gives the network itself.
    CHECK(subnet("10.1.2.3/24", 0, 0) == "10.1.2.0/24");
    CHECK(subnet("0.0.0.0/0", 8, 10) == "10.0.0.0/8");
    CHECK(subnet("0.0.0.0/0", 32, 4294967295) == "255.255.255.255/32");
    CHECK(subnet("::/0", 128, 1) == "::1/128");
    CHECK(subnet("::/0", 1, 1) == "8000::/1");
    CHECK(subnet("fd00::/64", 64, std::numeric_limits<int64_t>::max()) ==
          "fd00::7fff:ffff:ffff:ffff/128");
  }

  TEST_CASE("subnet errors: too long a prefix, numbers past the end, negatives") {
    CHECK(subnet("10.0.0.0/24", 9, 0) ==
          "error: `10.0.0.0/24` cannot be extended by 9 bits: /24 + 9 is longer than /32");
    CHECK(subnet("10.0.0.0/32", 1, 0).rfind("error: `10.0.0.0/32` cannot be extended", 0) == 0);
    CHECK(subnet("fd00::/120", 9, 0) ==
          "error: `fd00::/120` cannot be extended by 9 bits: /120 + 9 is longer than /128");
    CHECK(subnet("10.0.0.0/16", 8, 256) ==
          "error: `10.0.0.0/16` has 256 subnets of /24 (numbers 0 to 255); 256 is past the end");
    CHECK(subnet("10.0.0.0/16", 0, 1).rfind("error: `10.0.0.0/16` has 1 subnet of /16", 0) == 0);
    CHECK(subnet("10.0.0.0/16", 8, -1) == "error: the subnet number must not be negative (got -1)");
    CHECK(subnet("10.0.0.0/16", -1, 0) == "error: newbits must not be negative (got -1)");
    CHECK(subnet("10.0.0.0/16", std::numeric_limits<int64_t>::max(), 0)
              .rfind("error: `10.0.0.0/16` cannot be extended", 0) == 0);
  }

  TEST_CASE("host follows Terraform's cidrhost, negative numbers from the end") {
    CHECK(host("10.12.112.0/20", 16) == "10.12.112.16");
    CHECK(host("10.12.112.0/20", 268) == "10.12.113.12");
    CHECK(host("fd00:fd12:3456:7890:00a2::/72", 34) == "fd00:fd12:3456:7890::22");
    CHECK(host("10.12.112.0/20", -1) == "10.12.127.255");
    CHECK(host("10.12.112.0/20", -4096) == "10.12.112.0");
    CHECK(host("10.0.0.7/32", 0) == "10.0.0.7");
    CHECK(host("10.0.0.7/32", -1) == "10.0.0.7");
    CHECK(host("0.0.0.0/0", -1) == "255.255.255.255");
    CHECK(host("::/0", -1) == "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    CHECK(host("::/0", std::numeric_limits<int64_t>::min()) == "ffff:ffff:ffff:ffff:8000::");
    CHECK(host("fd00::/64", std::numeric_limits<int64_t>::max()) == "fd00::7fff:ffff:ffff:ffff");
    CHECK(host("fd00::/64", std::numeric_limits<int64_t>::min()) == "fd00::8000:0:0:0");
  }

  TEST_CASE("host errors outside the network") {
    CHECK(host("10.0.0.0/24", 256) ==
          "error: host number 256 is outside `10.0.0.0/24`, which has 256 addresses (0 to 255, "
          "or -256 to -1 counting from the end)");
    CHECK(host("10.0.0.0/24", -257).rfind("error: host number -257 is outside", 0) == 0);
    CHECK(host("10.0.0.1/32", 1).rfind("error: host number 1 is outside `10.0.0.1/32`", 0) == 0);
    CHECK(host("fd00::1/128", -2).rfind("error: host number -2 is outside", 0) == 0);
    CHECK(host("0.0.0.0/0", std::numeric_limits<int64_t>::max())
              .rfind("error: host number 9223372036854775807 is outside `0.0.0.0/0`, which has "
                     "4294967296 addresses",
                     0) == 0);
    CHECK(host("fd00::/66", int64_t{1} << 62).rfind("error: host number", 0) == 0);
    CHECK(host("fd00::/66", (int64_t{1} << 62) - 1) == "fd00::3fff:ffff:ffff:ffff");
  }

  TEST_CASE("contains and overlaps; families never mix") {
    CHECK(net::contains(cidr("10.0.0.0/8"), ip("10.255.255.255")));
    CHECK_FALSE(net::contains(cidr("10.0.0.0/8"), ip("11.0.0.0")));
    CHECK(net::contains(cidr("10.1.2.3/8"), ip("10.9.9.9")));  // host bits of the CIDR ignored
    CHECK(net::contains(cidr("0.0.0.0/0"), ip("1.2.3.4")));
    CHECK_FALSE(net::contains(cidr("0.0.0.0/0"), ip("::1")));
    CHECK_FALSE(net::contains(cidr("::/0"), ip("1.2.3.4")));
    CHECK(net::contains(cidr("::/0"), ip("fd00::1")));
    CHECK(net::contains(cidr("fd00::1/128"), ip("fd00::1")));
    CHECK_FALSE(net::contains(cidr("fd00::1/128"), ip("fd00::2")));

    CHECK(net::contains(cidr("10.0.0.0/16"), cidr("10.0.4.0/22")));
    CHECK(net::contains(cidr("10.0.0.0/16"), cidr("10.0.0.0/16")));
    CHECK_FALSE(net::contains(cidr("10.0.4.0/22"), cidr("10.0.0.0/16")));
    CHECK_FALSE(net::contains(cidr("10.0.0.0/16"), cidr("10.1.0.0/24")));

    CHECK(net::overlaps(cidr("10.0.0.0/16"), cidr("10.0.255.0/24")));
    CHECK(net::overlaps(cidr("10.0.255.0/24"), cidr("10.0.0.0/16")));
    CHECK_FALSE(net::overlaps(cidr("10.0.0.0/16"), cidr("10.1.0.0/16")));
    CHECK(net::overlaps(cidr("0.0.0.0/0"), cidr("192.168.0.0/16")));
    CHECK_FALSE(net::overlaps(cidr("::/0"), cidr("192.168.0.0/16")));
    CHECK(net::overlaps(cidr("fd00::/8"), cidr("fdff::/16")));
    CHECK_FALSE(net::overlaps(cidr("fd00::/16"), cidr("fd01::/16")));
  }
}
