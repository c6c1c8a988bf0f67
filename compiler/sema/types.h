// The checker's types, interned in a TypeTable so a TypeId compares by value. The skeleton's types:
// primitives, domain types, lists, maps, optionals, records, resources and imported modules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/sdk/schema.h"

namespace kc::sema {

struct TypeId {
  uint32_t index = 0;
  friend bool operator==(TypeId, TypeId) = default;
};

enum class TypeKind : uint8_t {
  Error,  // the type of anything already reported; compatible with everything, so one mistake
          // gives one message
  Never,  // the element type of an empty `[]` or `{}`: fits every type
  Any,
  Null,
  Bool,
  Int,
  Float,
  String,
  Duration,
  Bytes,
  Percent,
  Version,
  Ip,
  Cidr,
  List,      // element
  Map,       // element: the value type (keys are strings)
  Optional,  // element: the inner type
  Record,    // fields: an untyped `{ ... }` literal
  Resource,  // name: the resource type ("sim.machine")
  Module,    // module_index: an imported module
};

struct Type {
  TypeKind kind = TypeKind::Error;
  TypeId element;
  std::vector<std::pair<std::string, TypeId>> fields;
  std::string name;
  uint32_t module_index = 0;
  friend bool operator==(const Type&, const Type&) = default;
};

class TypeTable {
 public:
  TypeTable();
  TypeId intern(Type type);
  const Type& get(TypeId id) const { return types_[id.index]; }
  TypeKind kind(TypeId id) const { return types_[id.index].kind; }

  TypeId primitive(TypeKind kind);  // Error, Never, Any, Null, Bool, ... Cidr
  TypeId error() { return primitive(TypeKind::Error); }
  TypeId any() { return primitive(TypeKind::Any); }
  TypeId list_of(TypeId element);
  TypeId map_of(TypeId element);
  TypeId optional_of(TypeId inner);
  TypeId resource(std::string type_name);
  TypeId module(uint32_t index);
  TypeId from_schema(const sdk::AttrType& attr);

  // KCL spelling: "int", "[string]", "{string: bytes}", "int?", "sim.machine".
  std::string to_string(TypeId id) const;
  // Whether a value of type `from` may be stored where `to` is expected. Error on either side is
  // assignable (already reported); ints widen to floats; null fits optionals and any.
  bool assignable(TypeId from, TypeId to) const;

 private:
  std::vector<Type> types_;
  std::map<std::string, uint32_t> index_;  // structural key -> id, for composite types
};

// The type named by a primitive keyword ("int", "bytes", ...); nullopt for other names.
std::optional<TypeKind> primitive_kind(std::string_view name);

}  // namespace kc::sema
