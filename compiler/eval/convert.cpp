// Implicit conversions of values to declared types.
#include "compiler/eval/convert.h"

#include <fmt/format.h>

namespace kc::eval {

using sema::TypeKind;

std::optional<sdk::Value> parse_domain(TypeKind kind, const std::string& text, std::string* error) {
  switch (kind) {
    case TypeKind::Duration:
      if (auto v = sdk::parse_duration(text, error)) return sdk::Value(*v);
      return std::nullopt;
    case TypeKind::Bytes:
      if (auto v = sdk::parse_bytes(text, error)) return sdk::Value(*v);
      return std::nullopt;
    case TypeKind::Percent:
      if (auto v = sdk::parse_percent(text, error)) return sdk::Value(*v);
      return std::nullopt;
    case TypeKind::Version:
      if (auto v = sdk::parse_version(text, error)) return sdk::Value(*v);
      return std::nullopt;
    case TypeKind::Ip:
      if (auto v = sdk::parse_ip(text, error)) return sdk::Value(*v);
      return std::nullopt;
    case TypeKind::Cidr:
      if (auto v = sdk::parse_cidr(text, error)) return sdk::Value(*v);
      return std::nullopt;
    default:
      if (error) *error = "not a domain type";
      return std::nullopt;
  }
}

std::optional<sdk::Value> convert(const sdk::Value& value, sema::TypeId type,
                                  const sema::TypeTable& types, std::string* error) {
  const sema::Type& t = types.get(type);
  auto mismatch = [&]() -> std::optional<sdk::Value> {
    if (error) {
      *error = fmt::format("expected `{}`, found {}", types.to_string(type),
                           sdk::kind_name(value.kind()));
    }
    return std::nullopt;
  };
  if (value.is_unknown()) return value;
  switch (t.kind) {
    case TypeKind::Error:
    case TypeKind::Any:
      return value;
    case TypeKind::Optional:
      if (value.is_null()) return value;
      return convert(value, t.element, types, error);
    case TypeKind::Refined:  // bounds and checks are the evaluator's (Evaluator::conform)
      return convert(value, t.element, types, error);
    case TypeKind::Enum:  // a member name; the evaluator checks that it is a member
      return value.kind() == sdk::Kind::String ? std::optional(value) : mismatch();
    case TypeKind::Float:
      if (value.kind() == sdk::Kind::Int) return sdk::Value(static_cast<double>(value.as_int()));
      if (value.kind() == sdk::Kind::Float) return value;
      return mismatch();
    case TypeKind::Duration:
    case TypeKind::Bytes:
    case TypeKind::Percent:
    case TypeKind::Version:
    case TypeKind::Ip:
    case TypeKind::Cidr: {
      if (value.kind() == sdk::Kind::String) return parse_domain(t.kind, value.as_string(), error);
      sdk::Kind want =
          static_cast<sdk::Kind>(static_cast<int>(sdk::Kind::Duration) +
                                 (static_cast<int>(t.kind) - static_cast<int>(TypeKind::Duration)));
      if (value.kind() == want) return value;
      return mismatch();
    }
    case TypeKind::Bool:
      return value.kind() == sdk::Kind::Bool ? std::optional(value) : mismatch();
    case TypeKind::Int:
      return value.kind() == sdk::Kind::Int ? std::optional(value) : mismatch();
    case TypeKind::String:
      return value.kind() == sdk::Kind::String ? std::optional(value) : mismatch();
    case TypeKind::List: {
      if (value.kind() != sdk::Kind::List) return mismatch();
      sdk::List items;
      for (const auto& item : value.as_list()) {
        auto converted = convert(item, t.element, types, error);
        if (!converted) return std::nullopt;
        items.push_back(std::move(*converted));
      }
      return sdk::Value::list(std::move(items));
    }
    case TypeKind::Map: {
      if (value.kind() != sdk::Kind::Map) return mismatch();
      sdk::Entries entries;
      for (const auto& [key, item] : value.as_map()) {
        auto converted = convert(item, t.element, types, error);
        if (!converted) return std::nullopt;
        entries.emplace_back(key, std::move(*converted));
      }
      return sdk::Value::map(std::move(entries));
    }
    default:
      return mismatch();
  }
}

}  // namespace kc::eval
