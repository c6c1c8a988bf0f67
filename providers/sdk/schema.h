// Provider schemas: what a provider declares about its configuration and resource kinds. The
// compiler types `resource` bodies against them through SchemaSource, so compiler/ never links a
// provider.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "providers/sdk/value.h"

namespace kc::sdk {

// The type of an attribute. Element is set for List (element type) and Map (value type).
struct AttrType {
  enum class Kind : uint8_t {
    Any,
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
    List,
    Map
  };
  Kind kind = Kind::Any;
  std::shared_ptr<const AttrType> element;

  static AttrType of(Kind kind) { return AttrType{kind, nullptr}; }
  static AttrType list_of(AttrType element);
  static AttrType map_of(AttrType element);
  // KCL spelling: "int", "[string]", "{string: bytes}".
  std::string to_string() const;
  // True when `value` (not unknown, not null) has this type.
  bool admits(const Value& value) const;
};

struct AttributeSchema {
  enum class Presence : uint8_t {
    Required,  // an input the user must set
    Optional,  // an input the user may set
    Computed,  // an output, set by the provider
  };
  std::string name;
  AttrType type;
  Presence presence = Presence::Optional;
  bool force_new = false;  // changing it replaces the resource
  bool sensitive = false;  // redacted in every output
  std::string doc;

  bool is_input() const { return presence != Presence::Computed; }
};

// A provider action that a resource's `hooks { before_destroy = [...], after_create = [...] }` can
// name ("drain", "wait_ready"); each use becomes a plan step that calls Provider::run_action.
// Params are inputs only (Required or Optional).
struct ActionSchema {
  std::string name;
  std::string doc;
  std::vector<AttributeSchema> params;

  const AttributeSchema* find_param(std::string_view param) const;
};

struct ResourceSchema {
  std::string type;  // "sim.machine"
  std::string doc;
  std::vector<AttributeSchema> attributes;
  // The `= {}` keeps aggregate inits that stop after `attributes` free of missing-initializer
  // warnings.
  std::vector<ActionSchema> actions = {};

  const AttributeSchema* find(std::string_view name) const;
  // nullptr when the type has no action of that name.
  const ActionSchema* find_action(std::string_view name) const;
};

struct ProviderSchema {
  std::string name;  // "sim"
  std::vector<AttributeSchema> config;
  std::vector<ResourceSchema> resources;

  const ResourceSchema* find(std::string_view type) const;
};

// What the compiler sees of providers: resource schemas by type name ("sim.machine").
class SchemaSource {
 public:
  virtual ~SchemaSource() = default;
  virtual const ResourceSchema* find_resource(std::string_view type) const = 0;
  virtual const ProviderSchema* find_provider(std::string_view name) const = 0;
  // Every resource type, for suggestions ("did you mean").
  virtual std::vector<std::string> resource_types() const = 0;
};

}  // namespace kc::sdk
