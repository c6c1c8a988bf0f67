// sim.ca and sim.certificate: their checks, and certificates, keys and fingerprints from pki.h.
#include <string>
#include <vector>

#include "providers/sim/kind.h"
#include "providers/sim/pki.h"
#include "providers/sim/sim_schema.h"

namespace kc::sim {
namespace {

constexpr sdk::Duration kCaValidity{int64_t{87600} * 3600 * 1000};          // ten years
constexpr sdk::Duration kCertificateValidity{int64_t{8760} * 3600 * 1000};  // one year

void check_validity(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) {
  const sdk::Value* validity = known.find("validity");
  if (validity != nullptr && validity->as_duration().ms <= 0) {
    address_error(diagnostics, address,
                  "attribute `validity` must be more than 0s, got " +
                      sdk::to_string(validity->as_duration()));
  }
}

void check_no_empty_items(const std::string& address, const sdk::Value& known,
                          std::string_view name, diag::Diagnostics& diagnostics) {
  const sdk::Value* list = known.find(name);
  if (list == nullptr) return;
  for (const sdk::Value& item : list->as_list()) {
    if (item.as_string().empty()) {
      address_error(diagnostics, address,
                    "attribute `" + std::string(name) + "` holds an empty string");
      return;
    }
  }
}

std::string validity_text(const sdk::Value& inputs, sdk::Duration fallback) {
  const sdk::Value& validity = attribute_or_null(inputs, "validity");
  return sdk::to_string(validity.kind() == sdk::Kind::Duration ? validity.as_duration() : fallback);
}

std::vector<std::string> strings(const sdk::Value& inputs, std::string_view name) {
  std::vector<std::string> items;
  const sdk::Value& list = attribute_or_null(inputs, name);
  if (list.kind() != sdk::Kind::List) return items;
  for (const sdk::Value& item : list.as_list())
    items.push_back(item.as_string());
  return items;
}

class CaKind final : public SimKind {
 public:
  CaKind() : SimKind(kCaType, {{"certificate", {"validity"}}, {"fingerprint", {"validity"}}}) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    require_not_empty(address, known, "common_name", diagnostics);
    check_validity(address, known, diagnostics);
  }

  sdk::Entries outputs(SimContext&, const std::string&, const sdk::Value& inputs,
                       const sdk::Value&) const override {
    const std::string common_name = string_attribute(inputs, "common_name");
    pki::CertificateFields fields;
    fields.common_name = common_name;
    fields.validity = validity_text(inputs, kCaValidity);
    fields.is_ca = true;
    std::string certificate = pki::certificate(fields);
    std::string fingerprint = pki::fingerprint(certificate);
    return {{"certificate", std::move(certificate)},
            {"key", pki::private_key({"ca", common_name})},
            {"fingerprint", std::move(fingerprint)}};
  }
};

class CertificateKind final : public SimKind {
 public:
  CertificateKind()
      : SimKind(kCertificateType, {{"certificate", {"sans", "usages", "validity"}}}) {}

  void check_inputs(const std::string& address, const sdk::Value& known,
                    diag::Diagnostics& diagnostics) const override {
    require_not_empty(address, known, "ca", diagnostics);
    require_not_empty(address, known, "common_name", diagnostics);
    check_validity(address, known, diagnostics);
    check_no_empty_items(address, known, "sans", diagnostics);
    check_no_empty_items(address, known, "usages", diagnostics);
  }

  sdk::Entries outputs(SimContext& context, const std::string&, const sdk::Value& inputs,
                       const sdk::Value& prior) const override {
    const std::string ca = string_attribute(inputs, "ca");
    if (prior.is_null() && find_ca(context.world, ca) == nullptr) {
      context.error("no `sim.ca` with fingerprint `" + ca + "` exists in the simulated cloud")
          .with_note("use the `fingerprint` of a CA created before this certificate");
      return {};
    }
    const std::string common_name = string_attribute(inputs, "common_name");
    pki::CertificateFields fields;
    fields.common_name = common_name;
    fields.issuer = ca;
    fields.sans = strings(inputs, "sans");
    fields.usages = strings(inputs, "usages");
    fields.validity = validity_text(inputs, kCertificateValidity);
    return {{"certificate", pki::certificate(fields)},
            {"key", pki::private_key({"certificate", ca, common_name})}};
  }
};

}  // namespace

const SimObject* find_ca(const SimWorld& world, std::string_view fingerprint) {
  for (const SimObject& ca : world.objects(kCaType)) {
    if (string_attribute(ca.attributes, "fingerprint") == fingerprint) return &ca;
  }
  return nullptr;
}

const SimKind& ca_kind() {
  static const CaKind kind;
  return kind;
}

const SimKind& certificate_kind() {
  static const CertificateKind kind;
  return kind;
}

}  // namespace kc::sim
