// Attribute types (KCL spelling, value admission) and schema lookups.
#include "providers/sdk/schema.h"

#include <algorithm>

namespace kc::sdk {

AttrType AttrType::list_of(AttrType element) {
  return AttrType{Kind::List, std::make_shared<const AttrType>(std::move(element))};
}

AttrType AttrType::map_of(AttrType element) {
  return AttrType{Kind::Map, std::make_shared<const AttrType>(std::move(element))};
}

namespace {

// The element type of a list or map; `any` when none was given.
const AttrType& element_of(const AttrType& type) {
  static const AttrType kAny = AttrType::of(AttrType::Kind::Any);
  return type.element ? *type.element : kAny;
}

}  // namespace

std::string AttrType::to_string() const {
  switch (kind) {
    case Kind::Any:
      return "any";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "string";
    case Kind::Duration:
      return "duration";
    case Kind::Bytes:
      return "bytes";
    case Kind::Percent:
      return "percent";
    case Kind::Version:
      return "version";
    case Kind::Ip:
      return "ip";
    case Kind::Cidr:
      return "cidr";
    case Kind::List:
      return "[" + element_of(*this).to_string() + "]";
    case Kind::Map:
      return "{string: " + element_of(*this).to_string() + "}";
  }
  return "any";
}

// `any` admits everything; every other type rejects null and unknown at any depth (callers decide
// where those are allowed). Ints are admitted where floats are expected, as they widen.
bool AttrType::admits(const Value& value) const {
  using VK = sdk::Kind;
  switch (kind) {
    case Kind::Any:
      return true;
    case Kind::Bool:
      return value.kind() == VK::Bool;
    case Kind::Int:
      return value.kind() == VK::Int;
    case Kind::Float:
      return value.kind() == VK::Float || value.kind() == VK::Int;
    case Kind::String:
      return value.kind() == VK::String;
    case Kind::Duration:
      return value.kind() == VK::Duration;
    case Kind::Bytes:
      return value.kind() == VK::Bytes;
    case Kind::Percent:
      return value.kind() == VK::Percent;
    case Kind::Version:
      return value.kind() == VK::Version;
    case Kind::Ip:
      return value.kind() == VK::Ip;
    case Kind::Cidr:
      return value.kind() == VK::Cidr;
    case Kind::List: {
      if (value.kind() != VK::List) return false;
      const AttrType& item_type = element_of(*this);
      return std::all_of(value.as_list().begin(), value.as_list().end(),
                         [&](const Value& item) { return item_type.admits(item); });
    }
    case Kind::Map: {
      if (value.kind() != VK::Map) return false;
      const AttrType& item_type = element_of(*this);
      return std::all_of(value.as_map().begin(), value.as_map().end(),
                         [&](const auto& entry) { return item_type.admits(entry.second); });
    }
  }
  return false;
}

const AttributeSchema* ResourceSchema::find(std::string_view name) const {
  for (const AttributeSchema& attribute : attributes) {
    if (attribute.name == name) return &attribute;
  }
  return nullptr;
}

const AttributeSchema* ActionSchema::find_param(std::string_view param) const {
  for (const AttributeSchema& attribute : params) {
    if (attribute.name == param) return &attribute;
  }
  return nullptr;
}

const ActionSchema* ResourceSchema::find_action(std::string_view name) const {
  for (const ActionSchema& action : actions) {
    if (action.name == name) return &action;
  }
  return nullptr;
}

const ResourceSchema* ProviderSchema::find(std::string_view resource_type) const {
  for (const ResourceSchema& resource : resources) {
    if (resource.type == resource_type) return &resource;
  }
  return nullptr;
}

}  // namespace kc::sdk
