// Interning and the assignability relation of the checker's types.
#include "compiler/sema/types.h"

#include <map>
#include <optional>

namespace kc::sema {
namespace {

constexpr std::pair<std::string_view, TypeKind> kPrimitiveNames[] = {
    {"any", TypeKind::Any},     {"bool", TypeKind::Bool},       {"int", TypeKind::Int},
    {"float", TypeKind::Float}, {"string", TypeKind::String},   {"duration", TypeKind::Duration},
    {"bytes", TypeKind::Bytes}, {"percent", TypeKind::Percent}, {"version", TypeKind::Version},
    {"ip", TypeKind::Ip},       {"cidr", TypeKind::Cidr},
};

// A structural key for interning.
std::string key_of(const Type& t) {
  std::string key = std::to_string(static_cast<int>(t.kind)) + ":" +
                    std::to_string(t.element.index) + ":" + t.name + ":" +
                    std::to_string(t.module_index);
  for (const auto& [name, id] : t.fields)
    key += "|" + name + "=" + std::to_string(id.index);
  return key;
}

}  // namespace

std::optional<TypeKind> primitive_kind(std::string_view name) {
  for (const auto& [n, k] : kPrimitiveNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

TypeTable::TypeTable() {
  // Primitive kinds occupy the first slots, in TypeKind order, so primitive() is an index.
  for (int k = 0; k <= static_cast<int>(TypeKind::Cidr); ++k) {
    types_.push_back(Type{static_cast<TypeKind>(k), {}, {}, {}, 0});
  }
}

TypeId TypeTable::intern(Type type) {
  if (type.kind <= TypeKind::Cidr) return primitive(type.kind);
  std::string key = key_of(type);
  auto it = index_.find(key);
  if (it != index_.end()) return TypeId{it->second};
  uint32_t id = static_cast<uint32_t>(types_.size());
  types_.push_back(std::move(type));
  index_.emplace(std::move(key), id);
  return TypeId{id};
}

TypeId TypeTable::primitive(TypeKind kind) {
  return TypeId{static_cast<uint32_t>(kind)};
}

TypeId TypeTable::list_of(TypeId element) {
  return intern(Type{TypeKind::List, element, {}, {}, 0});
}
TypeId TypeTable::map_of(TypeId element) {
  return intern(Type{TypeKind::Map, element, {}, {}, 0});
}
TypeId TypeTable::optional_of(TypeId inner) {
  TypeKind k = kind(inner);
  if (k == TypeKind::Optional || k == TypeKind::Any || k == TypeKind::Error ||
      k == TypeKind::Null) {
    return inner;
  }
  return intern(Type{TypeKind::Optional, inner, {}, {}, 0});
}
TypeId TypeTable::resource(std::string type_name) {
  return intern(Type{TypeKind::Resource, {}, {}, std::move(type_name), 0});
}
TypeId TypeTable::module(uint32_t index) {
  return intern(Type{TypeKind::Module, {}, {}, {}, index});
}

TypeId TypeTable::from_schema(const sdk::AttrType& attr) {
  using K = sdk::AttrType::Kind;
  switch (attr.kind) {
    case K::Any:
      return any();
    case K::Bool:
      return primitive(TypeKind::Bool);
    case K::Int:
      return primitive(TypeKind::Int);
    case K::Float:
      return primitive(TypeKind::Float);
    case K::String:
      return primitive(TypeKind::String);
    case K::Duration:
      return primitive(TypeKind::Duration);
    case K::Bytes:
      return primitive(TypeKind::Bytes);
    case K::Percent:
      return primitive(TypeKind::Percent);
    case K::Version:
      return primitive(TypeKind::Version);
    case K::Ip:
      return primitive(TypeKind::Ip);
    case K::Cidr:
      return primitive(TypeKind::Cidr);
    case K::List:
      return list_of(attr.element ? from_schema(*attr.element) : any());
    case K::Map:
      return map_of(attr.element ? from_schema(*attr.element) : any());
  }
  return any();
}

std::string TypeTable::to_string(TypeId id) const {
  const Type& t = get(id);
  switch (t.kind) {
    case TypeKind::Error:
      return "<error>";
    case TypeKind::Never:
      return "never";
    case TypeKind::Null:
      return "null";
    case TypeKind::List:
      return "[" + to_string(t.element) + "]";
    case TypeKind::Map:
      return "{string: " + to_string(t.element) + "}";
    case TypeKind::Optional:
      return to_string(t.element) + "?";
    case TypeKind::Record: {
      std::string out = "{";
      for (size_t i = 0; i < t.fields.size(); ++i) {
        out += (i ? ", " : " ") + t.fields[i].first + ": " + to_string(t.fields[i].second);
      }
      return out + (t.fields.empty() ? "}" : " }");
    }
    case TypeKind::Resource:
      return t.name;
    case TypeKind::Module:
      return "module";
    default:
      for (const auto& [name, kind] : kPrimitiveNames) {
        if (kind == t.kind) return std::string(name);
      }
      return "?";
  }
}

bool TypeTable::assignable(TypeId from, TypeId to) const {
  if (from == to) return true;
  const Type& f = get(from);
  const Type& t = get(to);
  if (f.kind == TypeKind::Error || t.kind == TypeKind::Error) return true;
  if (f.kind == TypeKind::Never) return true;
  if (t.kind == TypeKind::Any) return true;
  if (t.kind == TypeKind::Optional) {
    return f.kind == TypeKind::Null || assignable(from, t.element) ||
           (f.kind == TypeKind::Optional && assignable(f.element, t.element));
  }
  switch (t.kind) {
    case TypeKind::Float:
      return f.kind == TypeKind::Int;
    case TypeKind::List:
      return f.kind == TypeKind::List && assignable(f.element, t.element);
    case TypeKind::Map:
      if (f.kind == TypeKind::Map) return assignable(f.element, t.element);
      if (f.kind == TypeKind::Record) {
        for (const auto& field : f.fields) {
          if (!assignable(field.second, t.element)) return false;
        }
        return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace kc::sema
