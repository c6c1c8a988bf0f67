// The lossless Value <-> JSON encoding of saved plans.
#include "runtime/plan/exact_value.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace kc::plan {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxDepth = 256;

// A double as a JSON number, or as "inf", "-inf" or "nan", which JSON cannot hold.
Json number(double f) {
  if (std::isnan(f)) return "nan";
  if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
  return f;
}

std::optional<double> number_from(const Json& json) {
  if (json.is_number()) return json.get<double>();
  if (!json.is_string()) return std::nullopt;
  const auto& text = json.get_ref<const std::string&>();
  if (text == "inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

class Decoder {
 public:
  explicit Decoder(std::string* error) : error_(error) {}

  std::optional<sdk::Value> decode(const Json& json, const std::string& path, int depth) {
    if (depth > kMaxDepth) return fail(path, "nested too deeply");
    switch (json.type()) {
      case Json::value_t::null:
        return sdk::Value::null();
      case Json::value_t::boolean:
        return sdk::Value(json.get<bool>());
      case Json::value_t::number_integer:
        return sdk::Value(json.get<int64_t>());
      case Json::value_t::number_unsigned:
        if (json.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return fail(path, "the integer is too large for a 64-bit int");
        }
        return sdk::Value(json.get<int64_t>());
      case Json::value_t::number_float:
        return sdk::Value(json.get<double>());
      case Json::value_t::string:
        return sdk::Value(json.get<std::string>());
      case Json::value_t::array: {
        sdk::List items;
        items.reserve(json.size());
        for (size_t i = 0; i < json.size(); ++i) {
          auto item = decode(json[i], fmt::format("{}[{}]", path, i), depth + 1);
          if (!item) return std::nullopt;
          items.push_back(std::move(*item));
        }
        return sdk::Value::list(std::move(items));
      }
      case Json::value_t::object:
        return tagged(json, path, depth);
      default:
        return fail(path, "binary data is not a value");
    }
  }

 private:
  std::optional<sdk::Value> tagged(const Json& json, const std::string& path, int depth) {
    if (json.size() != 1) return fail(path, "a tagged value must have exactly one key");
    const std::string& tag = json.begin().key();
    const Json& body = json.begin().value();
    if (tag == "map") {
      if (!body.is_object()) return fail(path, "`map` must hold an object");
      sdk::Entries entries;
      entries.reserve(body.size());
      for (const auto& [key, item] : body.items()) {
        auto value = decode(item, path.empty() ? key : fmt::format("{}.{}", path, key), depth + 1);
        if (!value) return std::nullopt;
        entries.emplace_back(key, std::move(*value));
      }
      return sdk::Value::map(std::move(entries));
    }
    if (tag == "unknown") {
      if (body != Json(true)) return fail(path, "`unknown` must be true");
      return sdk::Value::unknown();
    }
    if (tag == "float" || tag == "percent") {
      std::optional<double> f = number_from(body);
      if (!f) return fail(path, fmt::format("`{}` must hold a number", tag));
      return tag == "float" ? sdk::Value(*f) : sdk::Value(sdk::Percent{*f});
    }
    if (tag == "duration_ms" || tag == "bytes") {
      if (!body.is_number_integer() ||
          (body.is_number_unsigned() &&
           body.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
        return fail(path, fmt::format("`{}` must hold a 64-bit integer", tag));
      }
      auto n = body.get<int64_t>();
      return tag == "bytes" ? sdk::Value(sdk::ByteSize{n}) : sdk::Value(sdk::Duration{n});
    }
    if (tag == "version") return parsed(body, tag, path, sdk::parse_version);
    if (tag == "ip") return parsed(body, tag, path, sdk::parse_ip);
    if (tag == "cidr") return parsed(body, tag, path, sdk::parse_cidr);
    return fail(path, fmt::format("unknown value tag `{}`", tag));
  }

  template <typename Parse>
  std::optional<sdk::Value> parsed(const Json& body, const std::string& tag,
                                   const std::string& path, Parse parse) {
    if (!body.is_string()) return fail(path, fmt::format("`{}` must hold a string", tag));
    std::string problem;
    auto value = parse(body.get_ref<const std::string&>(), &problem);
    if (!value) return fail(path, problem);
    return sdk::Value(std::move(*value));
  }

  std::optional<sdk::Value> fail(const std::string& path, const std::string& message) {
    if (error_ != nullptr) {
      *error_ = path.empty() ? message : fmt::format("`{}`: {}", path, message);
    }
    return std::nullopt;
  }

  std::string* error_;
};

}  // namespace

Json exact_json(const sdk::Value& value) {
  switch (value.kind()) {
    case sdk::Kind::Null:
      return nullptr;
    case sdk::Kind::Bool:
      return value.as_bool();
    case sdk::Kind::Int:
      return value.as_int();
    case sdk::Kind::Float: {
      double f = value.as_float();
      if (!std::isfinite(f)) return Json{{"float", number(f)}};
      return f;
    }
    case sdk::Kind::String:
      return value.as_string();
    case sdk::Kind::Duration:
      return Json{{"duration_ms", value.as_duration().ms}};
    case sdk::Kind::Bytes:
      return Json{{"bytes", value.as_bytes().bytes}};
    case sdk::Kind::Percent:
      return Json{{"percent", number(value.as_percent().value)}};
    case sdk::Kind::Version:
      return Json{{"version", sdk::to_string(value.as_version())}};
    case sdk::Kind::Ip:
      return Json{{"ip", sdk::to_string(value.as_ip())}};
    case sdk::Kind::Cidr:
      return Json{{"cidr", sdk::to_string(value.as_cidr())}};
    case sdk::Kind::List: {
      Json out = Json::array();
      for (const sdk::Value& item : value.as_list())
        out.push_back(exact_json(item));
      return out;
    }
    case sdk::Kind::Map: {
      Json entries = Json::object();
      for (const auto& [key, item] : value.as_map())
        entries[key] = exact_json(item);
      return Json{{"map", std::move(entries)}};
    }
    case sdk::Kind::Unknown:
      return Json{{"unknown", true}};
  }
  return nullptr;
}

std::optional<sdk::Value> exact_value(const Json& json, std::string* error) {
  return Decoder(error).decode(json, "", 0);
}

}  // namespace kc::plan
