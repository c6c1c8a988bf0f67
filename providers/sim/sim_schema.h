// The schema of the built-in `sim` provider: its configuration and every resource kind. The single
// source of the type and attribute names the rest of providers/sim/ relies on.
#pragma once

#include <cstdint>
#include <string_view>

#include "providers/sdk/schema.h"

namespace kc::sim {

inline constexpr std::string_view kProviderName = "sim";
inline constexpr std::string_view kMachineType = "sim.machine";
inline constexpr std::string_view kNetworkType = "sim.network";
inline constexpr std::string_view kSubnetType = "sim.subnet";
inline constexpr std::string_view kLoadBalancerType = "sim.load_balancer";
inline constexpr std::string_view kEtcdMemberType = "sim.etcd_member";
inline constexpr std::string_view kCaType = "sim.ca";
inline constexpr std::string_view kCertificateType = "sim.certificate";
inline constexpr std::string_view kBootstrapType = "sim.bootstrap";
inline constexpr std::string_view kJoinType = "sim.join";
inline constexpr std::string_view kAddonType = "sim.addon";
inline constexpr std::string_view kKubeconfigType = "sim.kubeconfig";

// How one kind is named in the world: its section of world.json, the prefix of its ids
// (`net` gives `net-0001`) and the prefix of its events (`network.create`).
struct KindNames {
  std::string_view type;
  std::string_view section;
  std::string_view id_prefix;
  std::string_view event;
};
// Every kind, in the order world.json lists them.
inline constexpr KindNames kKinds[] = {
    {kMachineType, "machines", "m", "machine"},
    {kNetworkType, "networks", "net", "network"},
    {kSubnetType, "subnets", "sub", "subnet"},
    {kLoadBalancerType, "load_balancers", "lb", "load_balancer"},
    {kEtcdMemberType, "etcd_members", "etcd", "etcd_member"},
    {kCaType, "cas", "ca", "ca"},
    {kCertificateType, "certificates", "cert", "certificate"},
    {kBootstrapType, "bootstraps", "boot", "bootstrap"},
    {kJoinType, "joins", "join", "join"},
    {kAddonType, "addons", "addon", "addon"},
    {kKubeconfigType, "kubeconfigs", "kcfg", "kubeconfig"},
};
// The names of `type`; nullptr when sim has no such kind.
const KindNames* kind_names(std::string_view type);

// Bounds checked by validate (beyond what the types say).
inline constexpr int64_t kMinCpu = 1;
inline constexpr int64_t kMaxCpu = 512;
inline constexpr int64_t kMinMemoryBytes = int64_t{512} * 1024 * 1024;  // 512Mi
inline constexpr int64_t kMinDiskBytes = int64_t{1} << 30;              // 1Gi

// Built once, immutable, shared by every SimProvider.
const sdk::ProviderSchema& sim_schema();
// The `sim.machine` entry of sim_schema().
const sdk::ResourceSchema& machine_schema();
// The entry of sim_schema() for `type`, which must be one of the k...Type constants.
const sdk::ResourceSchema& resource_schema(std::string_view type);

}  // namespace kc::sim
