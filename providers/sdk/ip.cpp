// IP addresses and CIDRs: IPv4 dotted quads, IPv6 (with `::` and an IPv4 tail), their standard
// printed forms (IPv6 per RFC 5952) and parsers with errors that name the bad part.
#include <fmt/format.h>

#include <algorithm>

#include "providers/sdk/split.h"
#include "providers/sdk/value.h"

namespace kc::sdk {

namespace {

std::nullopt_t fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses a dotted quad into out[0..3]; an error sentence on failure.
std::string parse_v4(std::string_view text, uint8_t* out) {
  std::vector<std::string_view> parts = split(text, '.');
  if (parts.size() != 4) {
    return fmt::format(
        "`{}` is not an IPv4 address: write four numbers from 0 to 255 separated by "
        "dots, such as `10.0.0.1`",
        text);
  }
  for (size_t i = 0; i < 4; ++i) {
    std::string_view part = parts[i];
    if (part.empty() || !std::all_of(part.begin(), part.end(), is_digit)) {
      return fmt::format("`{}` is not an IPv4 octet (0 to 255) in `{}`", part, text);
    }
    if (part.size() > 3) return fmt::format("`{}` is not an IPv4 octet (0 to 255)", part);
    int value = 0;
    for (char c : part)
      value = value * 10 + (c - '0');
    if (value > 255) return fmt::format("`{}` is not an IPv4 octet (0 to 255)", part);
    if (part.size() > 1 && part[0] == '0') {
      return fmt::format("IPv4 octets have no leading zeros: write `{}` for `{}`", value, part);
    }
    out[i] = static_cast<uint8_t>(value);
  }
  return {};
}

// Parses 1-4 hex digit groups separated by ':' into 16-bit words; an error sentence on failure.
// `allow_v4_tail` lets the last group be a dotted quad (two words).
std::string parse_groups(std::string_view text, std::string_view whole, bool allow_v4_tail,
                         std::vector<uint16_t>& out) {
  if (text.empty()) return {};
  std::vector<std::string_view> groups = split(text, ':');
  for (size_t i = 0; i < groups.size(); ++i) {
    std::string_view group = groups[i];
    if (allow_v4_tail && i + 1 == groups.size() && group.find('.') != std::string_view::npos) {
      uint8_t v4[4];
      if (std::string problem = parse_v4(group, v4); !problem.empty()) return problem;
      out.push_back(static_cast<uint16_t>(v4[0] << 8 | v4[1]));
      out.push_back(static_cast<uint16_t>(v4[2] << 8 | v4[3]));
      continue;
    }
    if (group.empty()) {
      return fmt::format(
          "`{}` is not an IPv6 address: it has an empty group (use `::` once to "
          "skip zero groups)",
          whole);
    }
    if (group.size() > 4 ||
        !std::all_of(group.begin(), group.end(), [](char c) { return hex_value(c) >= 0; })) {
      return fmt::format("`{}` is not an IPv6 group (1 to 4 hex digits) in `{}`", group, whole);
    }
    uint16_t value = 0;
    for (char c : group)
      value = static_cast<uint16_t>(value << 4 | hex_value(c));
    out.push_back(value);
  }
  return {};
}

std::string parse_v6(std::string_view text, std::array<uint8_t, 16>& bytes) {
  if (text.find('%') != std::string_view::npos) {
    return fmt::format("`{}`: IPv6 zone indexes (`%...`) are not supported", text);
  }
  size_t gap = text.find("::");
  std::vector<uint16_t> head;
  std::vector<uint16_t> tail;
  if (gap == std::string_view::npos) {
    if (std::string problem = parse_groups(text, text, true, head); !problem.empty()) {
      return problem;
    }
    if (head.size() != 8) {
      return fmt::format(
          "`{}` is not an IPv6 address: it needs eight groups, or `::` for a run "
          "of zero groups",
          text);
    }
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos) {
      return fmt::format("`{}` is not an IPv6 address: `::` may appear only once", text);
    }
    if (std::string problem = parse_groups(text.substr(0, gap), text, false, head);
        !problem.empty()) {
      return problem;
    }
    if (std::string problem = parse_groups(text.substr(gap + 2), text, true, tail);
        !problem.empty()) {
      return problem;
    }
    if (head.size() + tail.size() > 7) {
      return fmt::format("`{}` is not an IPv6 address: it has too many groups", text);
    }
    head.resize(8 - tail.size(), 0);
    head.insert(head.end(), tail.begin(), tail.end());
  }
  for (size_t i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(head[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(head[i] & 0xff);
  }
  return {};
}

}  // namespace

std::string to_string(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (!ip.v6) return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
  // IPv4-mapped addresses keep the dotted tail (RFC 5952 section 5).
  if (std::all_of(b.begin(), b.begin() + 10, [](uint8_t x) { return x == 0; }) && b[10] == 0xff &&
      b[11] == 0xff) {
    return fmt::format("::ffff:{}.{}.{}.{}", b[12], b[13], b[14], b[15]);
  }
  uint16_t words[8];
  for (size_t i = 0; i < 8; ++i)
    words[i] = static_cast<uint16_t>(b[2 * i] << 8 | b[2 * i + 1]);
  // The longest run of two or more zero words is compressed; the first one on a tie.
  size_t best_start = 8;
  size_t best_length = 1;
  for (size_t i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < 8 && words[j] == 0)
      ++j;
    if (j - i > best_length) best_start = i, best_length = j - i;
    i = j;
  }
  std::string out;
  for (size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_length - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", words[i]);
  }
  return out;
}

std::string to_string(const Cidr& c) {
  return fmt::format("{}/{}", to_string(c.address), c.prefix);
}

std::optional<IpAddress> parse_ip(std::string_view text, std::string* error) {
  if (text.empty())
    return fail(error, "an IP address cannot be empty: write one such as `10.0.0.1`");
  IpAddress out;
  if (text.find(':') != std::string_view::npos) {
    out.v6 = true;
    if (std::string problem = parse_v6(text, out.bytes); !problem.empty()) {
      return fail(error, problem);
    }
    return out;
  }
  if (std::string problem = parse_v4(text, out.bytes.data()); !problem.empty()) {
    return fail(error, problem);
  }
  return out;
}

std::optional<Cidr> parse_cidr(std::string_view text, std::string* error) {
  size_t slash = text.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == text.size()) {
    std::string_view address = text.substr(0, slash);
    bool v6 = address.find(':') != std::string_view::npos;
    return fail(error, fmt::format("a CIDR needs a prefix length after a `/`: write `{}/{}`",
                                   address, v6 ? 64 : 24));
  }
  std::string_view address_text = text.substr(0, slash);
  std::string_view prefix_text = text.substr(slash + 1);
  bool v6 = address_text.find(':') != std::string_view::npos;
  unsigned max_prefix = v6 ? 128 : 32;

  // Both halves are checked so one message names every problem.
  std::vector<std::string> problems;
  std::string address_error;
  std::optional<IpAddress> address = parse_ip(address_text, &address_error);
  if (!address) problems.push_back(address_error);
  unsigned prefix = 0;
  if (prefix_text.empty() || prefix_text.size() > 3 ||
      !std::all_of(prefix_text.begin(), prefix_text.end(), is_digit)) {
    problems.push_back(
        fmt::format("`{}` is not a prefix length (0 to {})", prefix_text, max_prefix));
  } else {
    for (char c : prefix_text)
      prefix = prefix * 10 + static_cast<unsigned>(c - '0');
    if (prefix > max_prefix) {
      problems.push_back(fmt::format("prefix length {} is longer than {}", prefix, max_prefix));
    } else if (prefix_text.size() > 1 && prefix_text[0] == '0') {
      problems.push_back(fmt::format("prefix lengths have no leading zeros: write `{}`", prefix));
    }
  }
  if (!problems.empty()) {
    std::string message = problems[0];
    for (size_t i = 1; i < problems.size(); ++i)
      message += "; " + problems[i];
    return fail(error, message);
  }
  return Cidr{*address, static_cast<uint8_t>(prefix)};
}

}  // namespace kc::sdk
