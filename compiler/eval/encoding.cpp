// Data formats (encoding.h). nlohmann_json and yaml-cpp report errors only by exception; both are
// caught here, at the edge, and turned into messages.
#include "compiler/eval/encoding.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "providers/sdk/json.h"
#include "support/yaml_writer.h"

namespace kc::eval {
namespace {

using Json = nlohmann::ordered_json;
using sdk::Value;

// Bounds one decoding: nesting depth and the number of values made.
class Budget {
 public:
  // An error message, or empty while within the bounds.
  std::string enter(int depth) {
    if (depth > kMaxDecodeDepth) {
      return fmt::format("the document nests deeper than {} levels", kMaxDecodeDepth);
    }
    if (++values_ > kMaxDecodedValues) {
      return fmt::format("the document holds more than {} values", kMaxDecodedValues);
    }
    return {};
  }

 private:
  int64_t values_ = 0;
};

std::optional<Value> from_json_tree(const Json& json, int depth, Budget& budget,
                                    std::string* error) {
  if (std::string problem = budget.enter(depth); !problem.empty()) {
    *error = std::move(problem);
    return std::nullopt;
  }
  switch (json.type()) {
    case Json::value_t::boolean:
      return Value(json.get<bool>());
    case Json::value_t::number_integer:
      return Value(json.get<int64_t>());
    case Json::value_t::number_unsigned: {
      uint64_t u = json.get<uint64_t>();
      if (u <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Value(static_cast<int64_t>(u));
      }
      return Value(static_cast<double>(u));
    }
    case Json::value_t::number_float:
      return Value(json.get<double>());
    case Json::value_t::string:
      return Value(json.get<std::string>());
    case Json::value_t::array: {
      sdk::List items;
      items.reserve(json.size());
      for (const Json& item : json) {
        std::optional<Value> v = from_json_tree(item, depth + 1, budget, error);
        if (!v) return std::nullopt;
        items.push_back(std::move(*v));
      }
      return Value::list(std::move(items));
    }
    case Json::value_t::object: {
      sdk::Entries entries;
      entries.reserve(json.size());
      for (const auto& [key, item] : json.items()) {
        std::optional<Value> v = from_json_tree(item, depth + 1, budget, error);
        if (!v) return std::nullopt;
        entries.emplace_back(key, std::move(*v));
      }
      return Value::map(std::move(entries));
    }
    default:  // null; binary and discarded values do not come out of the parser
      return Value();
  }
}

// Whether all of `text` is digits of the given base (at least one).
bool all_digits(std::string_view text, int base) {
  if (text.empty()) return false;
  for (char c : text) {
    bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                         : c >= '0' && c < static_cast<char>('0' + base);
    if (!ok) return false;
  }
  return true;
}

// YAML 1.2 core schema floats: [-+]? ( . digits | digits [ . digits? ] ) ( [eE] [-+]? digits )?
bool is_core_float(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  size_t int_digits = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])))
    ++i, ++int_digits;
  size_t frac_digits = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])))
      ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])))
      ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == t.size();
}

// A plain YAML scalar as the core schema reads it.
Value plain_scalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return Value();
  }
  if (text == "true" || text == "True" || text == "TRUE") return Value(true);
  if (text == "false" || text == "False" || text == "FALSE") return Value(false);
  std::string_view t = text;
  bool negative = false;
  std::string_view digits = t;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    negative = t[0] == '-';
    digits = t.substr(1);
  }
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o')) {
    base = t[1] == 'x' ? 16 : 8;
    digits = t.substr(2);
    negative = false;
  }
  if (all_digits(digits, base)) {
    uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    if (ec == std::errc() && end == digits.data() + digits.size()) {
      if (!negative && magnitude <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Value(static_cast<int64_t>(magnitude));
      }
      if (negative && magnitude <= uint64_t{1} << 63) {
        return Value(static_cast<int64_t>(0 - magnitude));
      }
    }
    if (base == 10) return Value(std::strtod(text.c_str(), nullptr));  // beyond int64
    return Value(text);
  }
  if (is_core_float(t)) return Value(std::strtod(text.c_str(), nullptr));
  std::string_view rest = negative || (!t.empty() && t[0] == '+') ? t.substr(1) : t;
  if (rest == ".inf" || rest == ".Inf" || rest == ".INF") {
    return Value(negative ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity());
  }
  if (t == ".nan" || t == ".NaN" || t == ".NAN") {
    return Value(std::numeric_limits<double>::quiet_NaN());
  }
  return Value(text);
}

std::string at_mark(const YAML::Mark& mark) {
  return fmt::format("line {}, column {}", mark.line + 1, mark.column + 1);
}

std::optional<Value> from_yaml_tree(const YAML::Node& node, int depth, Budget& budget,
                                    std::string* error) {
  if (std::string problem = budget.enter(depth); !problem.empty()) {
    *error = std::move(problem);
    return std::nullopt;
  }
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      sdk::List items;
      for (const YAML::Node& item : node) {
        std::optional<Value> v = from_yaml_tree(item, depth + 1, budget, error);
        if (!v) return std::nullopt;
        items.push_back(std::move(*v));
      }
      return Value::list(std::move(items));
    }
    case YAML::NodeType::Map: {
      sdk::Entries entries;
      std::unordered_set<std::string> seen;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          *error = fmt::format("{}: map keys must be strings", at_mark(entry.first.Mark()));
          return std::nullopt;
        }
        const std::string& key = entry.first.Scalar();
        if (!seen.insert(key).second) {
          *error = fmt::format("{}: duplicate key `{}`", at_mark(entry.first.Mark()), key);
          return std::nullopt;
        }
        std::optional<Value> v = from_yaml_tree(entry.second, depth + 1, budget, error);
        if (!v) return std::nullopt;
        entries.emplace_back(key, std::move(*v));
      }
      return Value::map(std::move(entries));
    }
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      // `!` marks a quoted scalar; `!!str` an explicit string.
      if (tag == "!" || tag == "tag:yaml.org,2002:str") return Value(node.Scalar());
      return plain_scalar(node.Scalar());
    }
    default:  // Null, Undefined
      return Value();
  }
}

}  // namespace

std::optional<std::string> encode_json(const Value& value, std::string* error) {
  try {
    return sdk::to_json(value).dump();
  } catch (const Json::exception&) {  // type_error 316: a string that is not UTF-8
    *error = "it holds a string that is not valid UTF-8";
    return std::nullopt;
  }
}

std::optional<std::string> encode_yaml(const Value& value, std::string* error) {
  try {
    return support::to_yaml(sdk::to_json(value));
  } catch (const Json::exception&) {  // as above: quoted strings are written by nlohmann_json
    *error = "it holds a string that is not valid UTF-8";
    return std::nullopt;
  }
}

std::optional<Value> decode_json(std::string_view text, std::string* error) {
  Json json;
  try {
    json = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // what() is "[json.exception.parse_error.101] parse error at line 1, column 4: ...", or
    // "[json.exception.out_of_range.406] number overflow parsing '1e999'".
    std::string message = e.what();
    if (size_t at = message.find("] "); at != std::string::npos) message.erase(0, at + 2);
    if (message.rfind("parse error ", 0) == 0) message.erase(0, 12);
    *error = message;
    return std::nullopt;
  }
  Budget budget;
  return from_json_tree(json, 0, budget, error);
}

std::optional<Value> decode_yaml(std::string_view text, std::string* error) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    *error = fmt::format("{}: {}", at_mark(e.mark), e.msg);
    return std::nullopt;
  }
  Budget budget;
  try {
    return from_yaml_tree(root, 0, budget, error);
  } catch (const YAML::Exception& e) {  // not expected of a loaded document; kept at the edge
    *error = fmt::format("{}: {}", at_mark(e.mark), e.msg);
    return std::nullopt;
  }
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i)
    out += fmt::format("{:02x}", digest[i]);
  return out;
}

std::string base64_encode(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16 | static_cast<uint8_t>(data[i + 1]) << 8 |
                 static_cast<uint8_t>(data[i + 2]);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(data[i + 1]) << 8;
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += rest == 2 ? kAlphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace kc::eval
