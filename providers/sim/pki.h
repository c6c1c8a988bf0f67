// The sim's fake PKI: deterministic, PEM-shaped certificates, keys, fingerprints and tokens derived
// with SHA-256 (OpenSSL) from their inputs. Nothing here is real cryptographic material; the same
// inputs always give the same text, so plans and tests are reproducible.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace kc::sim::pki {

// Hex SHA-256 of `parts`, each length-prefixed so that ("ab", "c") and ("a", "bc") differ.
std::string digest_hex(std::initializer_list<std::string_view> parts);
// Standard base64 with padding.
std::string base64(std::string_view bytes);

// What a fake certificate states; `issuer` is the issuing CA's fingerprint, or empty for a
// self-signed CA.
struct CertificateFields {
  std::string common_name;
  std::string issuer;
  std::vector<std::string> sans;
  std::vector<std::string> usages;
  std::string validity;  // printed duration, "8760h"
  bool is_ca = false;
};
// "-----BEGIN CERTIFICATE-----" text whose base64 body decodes to a readable description of
// `fields` (saying it is not a real certificate) followed by bytes derived from it.
std::string certificate(const CertificateFields& fields);
// "-----BEGIN PRIVATE KEY-----" text derived from `parts`.
std::string private_key(std::initializer_list<std::string_view> parts);
// "sha256:" and the hex SHA-256 of the certificate text.
std::string fingerprint(std::string_view certificate_text);
// A bootstrap token shaped like kubeadm's: 6 and 16 characters of [a-z0-9] joined by a dot.
std::string join_token(std::initializer_list<std::string_view> parts);

}  // namespace kc::sim::pki
