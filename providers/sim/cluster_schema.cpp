// The `sim` provider's cluster kinds written out as data: etcd members, PKI, the kubeadm-like
// bootstrap and join steps, addons and the kubeconfig file.
#include "providers/sim/schema_builder.h"
#include "providers/sim/sim_schema.h"

namespace kc::sim::schema_builder {

std::vector<sdk::ResourceSchema> cluster_schemas() {
  std::vector<sdk::ResourceSchema> kinds;
  auto id_output = [](const char* example) {
    return output(
        "id", of(Kind::String),
        std::string("Identifier assigned by the simulated cloud, such as `") + example + "`.");
  };

  sdk::ResourceSchema member;
  member.type = std::string(kEtcdMemberType);
  member.doc = "A member of a simulated etcd cluster, running on a `sim.machine`.";
  member.attributes = {
      replaces(required("cluster", of(Kind::String),
                        "Name of the etcd cluster; members of one cluster have distinct names. "
                        "Changing it replaces the member.")),
      replaces(required("name", of(Kind::String),
                        "Member name, unique in its cluster. Changing it replaces the member.")),
      replaces(required("machine", of(Kind::String),
                        "Id of the `sim.machine` it runs on (`m-0001`); it must exist when the "
                        "member is created. Changing it replaces the member.")),
      required("peer_url", of(Kind::String),
               "URL other members reach it on, `http://` or `https://` (https://10.0.0.1:2380)."),
      required("client_url", of(Kind::String),
               "URL clients reach it on, `http://` or `https://` (https://10.0.0.1:2379)."),
      id_output("etcd-0001"),
      output("member_id", of(Kind::String),
             "The etcd member id, 16 hex digits derived from the cluster and the name."),
  };
  const sdk::AttributeSchema timeout =
      optional("timeout", of(Kind::Duration),
               "How long to wait at most; the simulation finishes at once. At least 0s.");
  member.actions = {
      action("remove_member",
             "Removes the member from its cluster's member list (`etcdctl member remove`) before "
             "its machine goes away. Refused when it is the last member of the cluster; a member "
             "already removed or gone is left alone."),
      action("wait_healthy",
             "Waits until the member's cluster is healthy; fails when the cluster has no members "
             "left.",
             {timeout}),
  };
  kinds.push_back(std::move(member));

  sdk::ResourceSchema ca;
  ca.type = std::string(kCaType);
  ca.doc =
      "A simulated certificate authority. Its certificate and key are deterministic PEM-shaped "
      "text derived from the inputs, not real cryptographic material.";
  ca.attributes = {
      replaces(required("common_name", of(Kind::String),
                        "Subject common name of the CA certificate (\"kubernetes-ca\"). Changing "
                        "it replaces the CA.")),
      optional("validity", of(Kind::Duration),
               "How long the CA certificate is valid, more than 0s; defaults to 87600h (ten "
               "years). Changing it reissues the certificate, which changes the fingerprint."),
      id_output("ca-0001"),
      output("certificate", of(Kind::String), "The CA certificate, PEM-shaped text."),
      secret(output("key", of(Kind::String), "The CA private key, PEM-shaped text.")),
      output("fingerprint", of(Kind::String),
             "`sha256:` and the hex SHA-256 of the certificate text; certificates name their CA "
             "by it."),
  };
  kinds.push_back(std::move(ca));

  sdk::ResourceSchema certificate;
  certificate.type = std::string(kCertificateType);
  certificate.doc =
      "A certificate issued by a `sim.ca`, deterministic PEM-shaped text derived from the inputs.";
  certificate.attributes = {
      replaces(required("ca", of(Kind::String),
                        "Fingerprint of the issuing `sim.ca` (`sha256:...`); that CA must exist "
                        "when the certificate is issued. Changing it replaces the certificate.")),
      replaces(required("common_name", of(Kind::String),
                        "Subject common name. Changing it replaces the certificate.")),
      optional("sans", list_of(Kind::String),
               "Subject alternative names (DNS names and addresses as text). Changing them "
               "reissues the certificate."),
      optional("usages", list_of(Kind::String),
               "Key usages, such as \"server auth\" and \"client auth\". Changing them reissues "
               "the certificate."),
      optional("validity", of(Kind::Duration),
               "How long the certificate is valid, more than 0s; defaults to 8760h (one year). "
               "Changing it reissues the certificate."),
      id_output("cert-0001"),
      output("certificate", of(Kind::String), "The certificate, PEM-shaped text."),
      secret(output("key", of(Kind::String),
                    "The private key, PEM-shaped text; it stays the same when the certificate is "
                    "reissued.")),
  };
  kinds.push_back(std::move(certificate));

  sdk::ResourceSchema bootstrap;
  bootstrap.type = std::string(kBootstrapType);
  bootstrap.doc =
      "Initialises a simulated Kubernetes cluster on its first control-plane machine, like "
      "`kubeadm init`. Changing `kubernetes` later is an in-place upgrade.";
  bootstrap.attributes = {
      required("cluster", of(Kind::String), "Name of the Kubernetes cluster."),
      replaces(required("machine", of(Kind::String),
                        "Id of the first control-plane `sim.machine`; it must exist, and when it "
                        "has a `role` that role must include \"control-plane\". Changing it "
                        "replaces the bootstrap.")),
      required("endpoint", of(Kind::String),
               "Control-plane endpoint the other nodes join through (the API load balancer)."),
      required("kubernetes", of(Kind::Version), "Kubernetes version to install (v1.29.4)."),
      optional("pod_cidr", of(Kind::Cidr),
               "Address range of pods; must not overlap `service_cidr`."),
      optional("service_cidr", of(Kind::Cidr), "Address range of services."),
      optional("ca", of(Kind::String),
               "Fingerprint of the cluster's `sim.ca`; when set, that CA must exist."),
      id_output("boot-0001"),
      secret(output(
          "join_token", of(Kind::String),
          "Bootstrap token for `sim.join`, shaped like kubeadm's (`abcdef.0123456789abcdef`), "
          "derived from the cluster and the machine.")),
      output("ca_hash", of(Kind::String),
             "`sha256:` and a hex hash standing for the CA public key hash joins pin."),
  };
  kinds.push_back(std::move(bootstrap));

  sdk::ResourceSchema join;
  join.type = std::string(kJoinType);
  join.doc =
      "Joins a `sim.machine` to a bootstrapped simulated Kubernetes cluster, like `kubeadm join`.";
  join.attributes = {
      required("cluster", of(Kind::String),
               "Name of the cluster; a `sim.bootstrap` of that cluster must exist."),
      replaces(required("machine", of(Kind::String),
                        "Id of the `sim.machine` that joins; it must exist. Changing it replaces "
                        "the join.")),
      required("endpoint", of(Kind::String), "Control-plane endpoint to join through."),
      secret(required("token", of(Kind::String),
                      "Join token; it must be the `join_token` of the cluster's bootstrap.")),
      required("role", of(Kind::String),
               "\"control-plane\" or \"worker\"; when the machine has a `role`, it must include "
               "this one."),
      required("kubernetes", of(Kind::Version),
               "Kubernetes version of the node (v1.29.4); changing it upgrades the node in place."),
      id_output("join-0001"),
      output("node_name", of(Kind::String), "Name of the Kubernetes node: the machine's hostname."),
  };
  kinds.push_back(std::move(join));

  sdk::ResourceSchema addon;
  addon.type = std::string(kAddonType);
  addon.doc =
      "An addon (CNI, DNS, ...) installed into a bootstrapped simulated Kubernetes cluster.";
  addon.attributes = {
      required("cluster", of(Kind::String),
               "Name of the cluster; a `sim.bootstrap` of that cluster must exist."),
      replaces(required("name", of(Kind::String),
                        "Addon name, unique in its cluster (\"cilium\"). Changing it replaces the "
                        "addon.")),
      optional("version", of(Kind::Version), "Version of the addon (v1.15.1)."),
      optional("manifest", of(Kind::String), "Manifest text applied to the cluster."),
      optional("config", map_of(Kind::String), "Settings of the addon."),
      id_output("addon-0001"),
  };
  kinds.push_back(std::move(addon));

  sdk::ResourceSchema kubeconfig;
  kubeconfig.type = std::string(kKubeconfigType);
  kubeconfig.doc =
      "A kubeconfig file for a simulated cluster, written below the module directory. Removing "
      "the file shows as the kubeconfig being gone, so the next apply writes it again.";
  kubeconfig.attributes = {
      required("cluster", of(Kind::String),
               "Name of the cluster (the kubeconfig's cluster entry)."),
      required(
          "path", of(Kind::String),
          "Where to write the file, relative to the module directory (\"kubeconfig/prod.yaml\"); "
          "absolute paths and paths leaving the module directory are refused. Changing it "
          "moves the file."),
      required(
          "endpoint", of(Kind::String),
          "API server URL (https://api.prod.example:6443); `https://` is added when there is no "
          "scheme."),
      required("ca", of(Kind::String), "The CA certificate text (a `sim.ca`'s `certificate`)."),
      optional("user", of(Kind::String), "User name of the credentials; defaults to \"admin\"."),
      id_output("kcfg-0001"),
      secret(output("content", of(Kind::String),
                    "The YAML written to `path`; it holds a credential.")),
  };
  kinds.push_back(std::move(kubeconfig));
  return kinds;
}

}  // namespace kc::sim::schema_builder
