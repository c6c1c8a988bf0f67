// Helpers that keep the sim schema readable as data (sim_schema.cpp, cluster_schema.cpp), and the
// split between those two files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "providers/sdk/schema.h"

namespace kc::sim::schema_builder {

using Kind = sdk::AttrType::Kind;
using Presence = sdk::AttributeSchema::Presence;

inline sdk::AttrType of(Kind kind) {
  return sdk::AttrType::of(kind);
}
inline sdk::AttrType list_of(Kind kind) {
  return sdk::AttrType::list_of(sdk::AttrType::of(kind));
}
inline sdk::AttrType map_of(Kind kind) {
  return sdk::AttrType::map_of(sdk::AttrType::of(kind));
}

inline sdk::AttributeSchema attribute(std::string name, sdk::AttrType type, Presence presence,
                                      std::string doc) {
  sdk::AttributeSchema a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.presence = presence;
  a.doc = std::move(doc);
  return a;
}
inline sdk::AttributeSchema required(std::string name, sdk::AttrType type, std::string doc) {
  return attribute(std::move(name), std::move(type), Presence::Required, std::move(doc));
}
inline sdk::AttributeSchema optional(std::string name, sdk::AttrType type, std::string doc) {
  return attribute(std::move(name), std::move(type), Presence::Optional, std::move(doc));
}
inline sdk::AttributeSchema output(std::string name, sdk::AttrType type, std::string doc) {
  return attribute(std::move(name), std::move(type), Presence::Computed, std::move(doc));
}
// Marks an input whose change replaces the object.
inline sdk::AttributeSchema replaces(sdk::AttributeSchema a) {
  a.force_new = true;
  return a;
}
// Marks secret material, redacted in every output.
inline sdk::AttributeSchema secret(sdk::AttributeSchema a) {
  a.sensitive = true;
  return a;
}

inline sdk::ActionSchema action(std::string name, std::string doc,
                                std::vector<sdk::AttributeSchema> params = {}) {
  return sdk::ActionSchema{std::move(name), std::move(doc), std::move(params)};
}

// The infrastructure kinds: machine, network, subnet, load balancer (sim_schema.cpp).
std::vector<sdk::ResourceSchema> infrastructure_schemas();
// The cluster kinds: etcd member, CA, certificate, bootstrap, join, addon, kubeconfig
// (cluster_schema.cpp).
std::vector<sdk::ResourceSchema> cluster_schemas();

}  // namespace kc::sim::schema_builder
