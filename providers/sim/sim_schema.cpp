// The `sim` provider's schema, written out as data.
#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

using Kind = sdk::AttrType::Kind;
using Presence = sdk::AttributeSchema::Presence;

sdk::AttributeSchema attribute(std::string name, Kind kind, Presence presence, std::string doc,
                               bool force_new = false) {
  sdk::AttributeSchema a;
  a.name = std::move(name);
  a.type = sdk::AttrType::of(kind);
  a.presence = presence;
  a.force_new = force_new;
  a.doc = std::move(doc);
  return a;
}

sdk::ProviderSchema build() {
  sdk::ProviderSchema schema;
  schema.name = std::string(kProviderName);
  schema.config = {
      attribute("latency", Kind::Duration, Presence::Optional,
                "How long every create, update and delete takes, to make the simulation feel like "
                "a real cloud. Defaults to 0s."),
      attribute("seed", Kind::Int, Presence::Optional,
                "Chooses the block of addresses machines get; the same seed and the same history "
                "give the same ids and addresses. Defaults to 1."),
  };

  sdk::ResourceSchema machine;
  machine.type = std::string(kMachineType);
  machine.doc = "A simulated virtual machine.";
  machine.attributes = {
      attribute("cpu", Kind::Int, Presence::Required, "Number of virtual CPUs, 1 to 512."),
      attribute("memory", Kind::Bytes, Presence::Required, "Memory size, at least 512Mi."),
      attribute("zone", Kind::String, Presence::Required,
                "Availability zone the machine runs in. Changing it replaces the machine.",
                /*force_new=*/true),
      attribute("id", Kind::String, Presence::Computed,
                "Identifier assigned by the simulated cloud, such as `m-0001`."),
      attribute("ip", Kind::Ip, Presence::Computed,
                "Private IPv4 address assigned by the simulated cloud, in 10.0.0.0/8."),
  };
  schema.resources.push_back(std::move(machine));
  return schema;
}

}  // namespace

const sdk::ProviderSchema& sim_schema() {
  static const sdk::ProviderSchema schema = build();
  return schema;
}

const sdk::ResourceSchema& machine_schema() {
  return sim_schema().resources.front();
}

}  // namespace kc::sim
