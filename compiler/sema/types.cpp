// Interning and the assignability relation of the checker's types.
#include "compiler/sema/types.h"

#include "providers/sdk/literal.h"

#include <algorithm>
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
                    std::to_string(t.module_index) + ":" + std::to_string(t.symbol) + ":" +
                    std::to_string(t.refinement);
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
    types_.push_back(Type{static_cast<TypeKind>(k), {}, {}, {}, 0, 0, 0});
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
  return intern(Type{TypeKind::List, element, {}, {}, 0, 0, 0});
}
TypeId TypeTable::map_of(TypeId element) {
  return intern(Type{TypeKind::Map, element, {}, {}, 0, 0, 0});
}
TypeId TypeTable::optional_of(TypeId inner) {
  TypeKind k = kind(inner);
  if (k == TypeKind::Optional || k == TypeKind::Any || k == TypeKind::Error ||
      k == TypeKind::Null) {
    return inner;
  }
  return intern(Type{TypeKind::Optional, inner, {}, {}, 0, 0, 0});
}
TypeId TypeTable::resource(std::string type_name) {
  return intern(Type{TypeKind::Resource, {}, {}, std::move(type_name), 0, 0, 0});
}
TypeId TypeTable::module(uint32_t index) {
  return intern(Type{TypeKind::Module, {}, {}, {}, index, 0, 0});
}

TypeId TypeTable::schema(std::string name, uint32_t module_index, uint32_t symbol) {
  Type t{TypeKind::Schema, {}, {}, std::move(name), module_index, symbol, 0};
  return intern(std::move(t));
}
TypeId TypeTable::enumeration(std::string name, uint32_t module_index, uint32_t symbol) {
  Type t{TypeKind::Enum, {}, {}, std::move(name), module_index, symbol, 0};
  return intern(std::move(t));
}
TypeId TypeTable::refined(TypeId base, Refinement refinement) {
  auto index = static_cast<uint32_t>(refinements_.size());
  refinements_.push_back(std::move(refinement));
  return intern(Type{TypeKind::Refined, base, {}, {}, 0, 0, index});
}

std::optional<TypeId> TypeTable::parent(TypeId schema) const {
  auto it = parents_.find(schema.index);
  if (it == parents_.end()) return std::nullopt;
  return it->second;
}

TypeId TypeTable::value_type(TypeId id) {
  const Type t = get(id);  // a copy: interning below may grow the table
  switch (t.kind) {
    case TypeKind::Refined:
      return value_type(t.element);
    case TypeKind::List:
      return list_of(value_type(t.element));
    case TypeKind::Map:
      return map_of(value_type(t.element));
    case TypeKind::Optional:
      return optional_of(value_type(t.element));
    case TypeKind::Record: {
      Type stripped = t;
      for (auto& field : stripped.fields)
        field.second = value_type(field.second);
      return intern(std::move(stripped));
    }
    default:
      return id;
  }
}

TypeId TypeTable::core(TypeId id) const {
  while (kind(id) == TypeKind::Optional || kind(id) == TypeKind::Refined)
    id = get(id).element;
  return id;
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
    case TypeKind::Schema:
    case TypeKind::Enum:
      return t.name;
    case TypeKind::Refined: {
      const Refinement& r = refinements_[t.refinement];
      if (!r.alias.empty()) return r.alias;
      std::string out = to_string(t.element) + "(";
      if (r.low) out += sdk::kcl_literal(*r.low);
      out += "..";
      if (r.high) out += sdk::kcl_literal(*r.high);
      return out + ")";
    }
    default:
      for (const auto& [name, kind] : kPrimitiveNames) {
        if (kind == t.kind) return std::string(name);
      }
      return "?";
  }
}

bool TypeTable::assignable(TypeId from, TypeId to) const {
  if (from == to) return true;
  if (kind(from) == TypeKind::Refined) return assignable(get(from).element, to);
  if (kind(to) == TypeKind::Refined) return assignable(from, get(to).element);
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
    case TypeKind::Schema:
      for (std::optional<TypeId> p = parent(from); p; p = parent(*p)) {
        if (*p == to) return true;
      }
      return false;
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

namespace kc::sema {

int compare_bounds(const sdk::Value& a, const sdk::Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.kind()) {
    case sdk::Kind::Int:
      return sign(a.as_int(), b.as_int());
    case sdk::Kind::Float:
      return sign(a.as_float(), b.as_float());
    case sdk::Kind::Duration:
      return sign(a.as_duration().ms, b.as_duration().ms);
    case sdk::Kind::Bytes:
      return sign(a.as_bytes().bytes, b.as_bytes().bytes);
    case sdk::Kind::Percent:
      return sign(a.as_percent().value, b.as_percent().value);
    case sdk::Kind::Version:
      return sdk::compare(a.as_version(), b.as_version());
    default:
      return 0;
  }
}

Bounds effective_bounds(const TypeTable& types, TypeId type) {
  Bounds out;
  for (TypeId t = type; types.kind(t) == TypeKind::Refined || types.kind(t) == TypeKind::Optional;
       t = types.get(t).element) {
    if (types.kind(t) != TypeKind::Refined) continue;
    const Refinement& r = types.refinement(t);
    if (r.low && (!out.low || compare_bounds(*r.low, *out.low) > 0)) out.low = r.low;
    if (r.high && (!out.high || compare_bounds(*r.high, *out.high) < 0)) out.high = r.high;
  }
  return out;
}

std::string range_text(const TypeTable& types, TypeId type) {
  Bounds bounds = effective_bounds(types, type);
  return types.to_string(types.core(type)) + "(" +
         (bounds.low ? sdk::kcl_literal(*bounds.low) : "") + ".." +
         (bounds.high ? sdk::kcl_literal(*bounds.high) : "") + ")";
}

namespace {

// The alias declarations whose checks a value of `type` must pass.
std::vector<std::pair<int32_t, int32_t>> alias_checks_of(const TypeTable& types, TypeId type) {
  std::vector<std::pair<int32_t, int32_t>> out;
  for (TypeId t = type; types.kind(t) == TypeKind::Refined || types.kind(t) == TypeKind::Optional;
       t = types.get(t).element) {
    if (types.kind(t) != TypeKind::Refined) continue;
    const Refinement& r = types.refinement(t);
    if (r.alias_symbol >= 0) out.emplace_back(r.alias_module, r.alias_symbol);
  }
  return out;
}

}  // namespace

bool narrower_or_same(const TypeTable& types, TypeId from, TypeId to) {
  if (from == to) return true;
  if (!types.assignable(from, to)) return false;
  Bounds outer = effective_bounds(types, to);
  Bounds inner = effective_bounds(types, from);
  if (outer.low && (!inner.low || compare_bounds(*inner.low, *outer.low) < 0)) return false;
  if (outer.high && (!inner.high || compare_bounds(*inner.high, *outer.high) > 0)) return false;
  auto kept = alias_checks_of(types, from);
  for (const auto& alias : alias_checks_of(types, to)) {
    if (std::find(kept.begin(), kept.end(), alias) == kept.end()) return false;
  }
  return true;
}

}  // namespace kc::sema
