// Value <-> JSON: the printed form of LANGUAGE.md 8a on the way out, schema-guided decoding on the
// way back. "(known after apply)" decodes to Unknown and null to null whatever the expected type.
#include "providers/sdk/json.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace kc::sdk {

using Json = nlohmann::ordered_json;

Json to_json(const Value& value) {
  switch (value.kind()) {
    case Kind::Null:
      return nullptr;
    case Kind::Bool:
      return value.as_bool();
    case Kind::Int:
      return value.as_int();
    case Kind::Float: {
      double f = value.as_float();
      if (!std::isfinite(f)) return format_float(f);  // JSON has no inf or nan
      return f;
    }
    case Kind::String:
      return value.as_string();
    case Kind::Duration:
      return to_string(value.as_duration());
    case Kind::Bytes:
      return to_string(value.as_bytes());
    case Kind::Percent:
      return to_string(value.as_percent());
    case Kind::Version:
      return to_string(value.as_version());
    case Kind::Ip:
      return to_string(value.as_ip());
    case Kind::Cidr:
      return to_string(value.as_cidr());
    case Kind::List: {
      Json out = Json::array();
      for (const Value& item : value.as_list())
        out.push_back(to_json(item));
      return out;
    }
    case Kind::Map: {
      Json out = Json::object();
      for (const auto& [key, item] : value.as_map())
        out[key] = to_json(item);
      return out;
    }
    case Kind::Unknown:
      return kUnknownText;
  }
  return nullptr;
}

namespace {

std::string describe(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a number with a fraction";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "binary data";
  }
}

// Where a value being decoded is: a chain of map keys and list indexes up from the root, spelled
// out ("pools[2].size") only when an error message names it, so that decoding builds no strings.
struct Path {
  const Path* parent = nullptr;  // nullptr for the root, whose text is empty
  std::string_view key;
  size_t index = 0;
  bool is_index = false;

  Path key_path(std::string_view name) const { return Path{this, name, 0, false}; }
  Path index_path(size_t i) const { return Path{this, {}, i, true}; }

  std::string text() const {
    if (parent == nullptr) return {};
    std::string above = parent->text();
    if (is_index) return fmt::format("{}[{}]", above, index);
    return above.empty() ? std::string(key) : fmt::format("{}.{}", above, key);
  }
};

// Recursive decoder; `path` names the place being decoded for error messages.
class Decoder {
 public:
  explicit Decoder(std::string* error) : error_(error) {}

  std::optional<Value> decode(const Json& json, const AttrType& type, const Path& path) {
    if (json.is_null()) return Value::null();
    if (json.is_string() && json.get_ref<const std::string&>() == kUnknownText) {
      return Value::unknown();
    }
    using K = AttrType::Kind;
    switch (type.kind) {
      case K::Any:
        return decode_any(json, path);
      case K::Bool:
        if (json.is_boolean()) return Value(json.get<bool>());
        break;
      case K::Int:
        if (json.is_number_integer()) {
          if (json.is_number_unsigned() &&
              json.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            return fail(path, "the integer is too large for a 64-bit int");
          }
          return Value(json.get<int64_t>());
        }
        break;
      case K::Float:
        if (json.is_number()) return Value(json.get<double>());
        if (json.is_string()) {
          const auto& text = json.get_ref<const std::string&>();
          if (text == "inf") return Value(std::numeric_limits<double>::infinity());
          if (text == "-inf") return Value(-std::numeric_limits<double>::infinity());
          if (text == "nan") return Value(std::numeric_limits<double>::quiet_NaN());
        }
        break;
      case K::String:
        if (json.is_string()) return Value(json.get<std::string>());
        break;
      case K::Duration:
        return parsed(json, type, path, parse_duration);
      case K::Bytes:
        return parsed(json, type, path, parse_bytes);
      case K::Percent:
        return parsed(json, type, path, parse_percent);
      case K::Version:
        return parsed(json, type, path, parse_version);
      case K::Ip:
        return parsed(json, type, path, parse_ip);
      case K::Cidr:
        return parsed(json, type, path, parse_cidr);
      case K::List:
        if (json.is_array()) return decode_list(json, element_of(type), path);
        break;
      case K::Map:
        if (json.is_object()) return decode_map(json, element_of(type), path);
        break;
    }
    return mismatch(json, type, path);
  }

  std::optional<Value> decode_map(const Json& json, const AttrType& element, const Path& path) {
    Entries entries;
    entries.reserve(json.size());
    for (const auto& [key, item] : json.items()) {
      std::optional<Value> value = decode(item, element, path.key_path(key));
      if (!value) return std::nullopt;
      entries.emplace_back(key, std::move(*value));
    }
    return Value::map(std::move(entries));
  }

  std::optional<Value> fail(const Path& path, const std::string& message) {
    if (error_ != nullptr) {
      std::string where = path.text();
      *error_ = where.empty() ? message : fmt::format("`{}`: {}", where, message);
    }
    return std::nullopt;
  }

 private:
  static const AttrType& element_of(const AttrType& type) {
    static const AttrType kAny = AttrType::of(AttrType::Kind::Any);
    return type.element ? *type.element : kAny;
  }

  std::optional<Value> mismatch(const Json& json, const AttrType& type, const Path& path) {
    return fail(path, fmt::format("expected {}, got {}", type.to_string(), describe(json)));
  }

  template <typename Parse>
  std::optional<Value> parsed(const Json& json, const AttrType& type, const Path& path,
                              Parse parse) {
    if (!json.is_string()) return mismatch(json, type, path);
    std::string problem;
    auto value = parse(json.get_ref<const std::string&>(), &problem);
    if (!value) return fail(path, problem);
    return Value(std::move(*value));
  }

  std::optional<Value> decode_any(const Json& json, const Path& path) {
    switch (json.type()) {
      case Json::value_t::boolean:
        return Value(json.get<bool>());
      case Json::value_t::number_integer:
        return Value(json.get<int64_t>());
      case Json::value_t::number_unsigned:
        if (json.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return Value(json.get<double>());
        }
        return Value(json.get<int64_t>());
      case Json::value_t::number_float:
        return Value(json.get<double>());
      case Json::value_t::string:
        return Value(json.get<std::string>());
      case Json::value_t::array:
        return decode_list(json, element_of(AttrType{}), path);
      case Json::value_t::object:
        return decode_map(json, element_of(AttrType{}), path);
      default:
        return fail(path, fmt::format("cannot decode {}", describe(json)));
    }
  }

  std::optional<Value> decode_list(const Json& json, const AttrType& element, const Path& path) {
    List items;
    items.reserve(json.size());
    for (size_t i = 0; i < json.size(); ++i) {
      std::optional<Value> item = decode(json[i], element, path.index_path(i));
      if (!item) return std::nullopt;
      items.push_back(std::move(*item));
    }
    return Value::list(std::move(items));
  }

  std::string* error_;
};

}  // namespace

std::optional<Value> from_json(const Json& json, const AttrType& type, std::string* error) {
  return Decoder(error).decode(json, type, Path{});
}

std::optional<Value> attributes_from_json(const Json& json, const ResourceSchema& schema,
                                          std::string* error) {
  Decoder decoder(error);
  if (!json.is_object()) {
    return decoder.fail(Path{}, fmt::format("expected an object of `{}` attributes, got {}",
                                            schema.type, describe(json)));
  }
  Entries entries;
  entries.reserve(json.size());
  for (const auto& [key, item] : json.items()) {
    const AttributeSchema* attribute = schema.find(key);
    static const AttrType kAny = AttrType::of(AttrType::Kind::Any);
    const AttrType& type = attribute != nullptr ? attribute->type : kAny;
    const Path root;
    std::optional<Value> value = decoder.decode(item, type, root.key_path(key));
    if (!value) return std::nullopt;
    entries.emplace_back(key, std::move(*value));
  }
  return Value::map(std::move(entries));
}

}  // namespace kc::sdk
