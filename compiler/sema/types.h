// The checker's types, interned in a TypeTable so a TypeId compares by value: primitives, domain
// types, lists, maps, optionals, untyped records, schemas, enums, refinements (ranges and aliases
// with checks), resources and imported modules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/source/source.h"
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
  Schema,    // module_index + symbol: a schema declaration (nominal)
  Enum,      // module_index + symbol: an enum declaration (nominal)
  Refined,   // element: the base type; refinement: bounds and/or an alias whose checks apply
};

// What a Refined type adds to its base: inclusive bounds (either may be absent) and the alias
// whose `check` block values must pass. Values are checked where they are stored, never where read.
struct Refinement {
  std::optional<sdk::Value> low;
  std::optional<sdk::Value> high;
  std::string alias;  // the alias name, for messages; empty for a bare range type
  int32_t alias_module = -1;
  int32_t alias_symbol = -1;  // the alias declaration whose check block applies; -1: none
  source::Span span;          // the range or alias as written
  source::Span range_span;    // the range as written (`int(1..65535)`), when there are bounds
};

struct Type {
  TypeKind kind = TypeKind::Error;
  TypeId element;
  std::vector<std::pair<std::string, TypeId>> fields;
  std::string name;
  uint32_t module_index = 0;
  uint32_t symbol = 0;
  uint32_t refinement = 0;
  friend bool operator==(const Type&, const Type&) = default;
};

class TypeTable {
 public:
  TypeTable();
  TypeId intern(Type type);
  const Type& get(TypeId id) const { return types_[id.index]; }
  TypeKind kind(TypeId id) const { return types_[id.index].kind; }
  size_t size() const { return types_.size(); }

  TypeId primitive(TypeKind kind);  // Error, Never, Any, Null, Bool, ... Cidr
  TypeId error() { return primitive(TypeKind::Error); }
  TypeId any() { return primitive(TypeKind::Any); }
  TypeId list_of(TypeId element);
  TypeId map_of(TypeId element);
  TypeId optional_of(TypeId inner);
  TypeId resource(std::string type_name);
  TypeId module(uint32_t index);
  TypeId from_schema(const sdk::AttrType& attr);
  TypeId schema(std::string name, uint32_t module, uint32_t symbol);
  TypeId enumeration(std::string name, uint32_t module, uint32_t symbol);
  // A new refinement of `base` (each call makes a distinct type).
  TypeId refined(TypeId base, Refinement refinement);
  const Refinement& refinement(TypeId id) const { return refinements_[get(id).refinement]; }
  // Records that schema `child` extends `parent`: a child is assignable where the parent is
  // expected.
  void set_parent(TypeId child, TypeId parent) { parents_[child.index] = parent; }
  std::optional<TypeId> parent(TypeId schema) const;

  // The type without refinements, at every depth: what reading a stored value gives.
  TypeId value_type(TypeId id);
  // Optionals and refinements peeled off the top: the kind an expected type asks for.
  TypeId core(TypeId id) const;

  // KCL spelling: "int", "[string]", "{string: bytes}", "int?", "sim.machine".
  std::string to_string(TypeId id) const;
  // Whether a value of type `from` may be stored where `to` is expected. Error on either side is
  // assignable (already reported); ints widen to floats; null fits optionals and any.
  bool assignable(TypeId from, TypeId to) const;

 private:
  std::vector<Type> types_;
  std::map<std::string, uint32_t> index_;  // structural key -> id, for composite types
  std::vector<Refinement> refinements_;
  std::map<uint32_t, TypeId> parents_;  // schema type index -> parent schema type
};

// The type named by a primitive keyword ("int", "bytes", ...); nullopt for other names.
std::optional<TypeKind> primitive_kind(std::string_view name);

// -1, 0, 1 for two bounds of the same kind.
int compare_bounds(const sdk::Value& a, const sdk::Value& b);

// The bounds a value of `type` must keep: the tightest of every range it refines, through aliases
// and optionals at the top.
struct Bounds {
  std::optional<sdk::Value> low;
  std::optional<sdk::Value> high;
};
Bounds effective_bounds(const TypeTable& types, TypeId type);
// The range part of a refined type written out (`int(1..65535)`), for messages about an alias.
std::string range_text(const TypeTable& types, TypeId type);
// Whether `from` is `to` or narrower: assignable, inside `to`'s bounds, and subject to every alias
// check `to` is (LANGUAGE.md 4: a child redeclares a field with the same or a narrower type).
bool narrower_or_same(const TypeTable& types, TypeId from, TypeId to);

}  // namespace kc::sema
