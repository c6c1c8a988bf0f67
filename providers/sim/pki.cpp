// Fake PEM text, fingerprints and tokens from SHA-256 digests (OpenSSL EVP).
#include "providers/sim/pki.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <cstdio>

namespace kc::sim::pki {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view bytes) {
  Digest digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

std::string to_hex(const Digest& digest) {
  std::string text;
  char buffer[3];
  for (unsigned char byte : digest) {
    std::snprintf(buffer, sizeof buffer, "%02x", byte);
    text += buffer;
  }
  return text;
}

std::string framed(std::initializer_list<std::string_view> parts) {
  std::string framed;
  for (std::string_view part : parts) {
    framed += std::to_string(part.size());
    framed += ':';
    framed += part;
  }
  return framed;
}

// `count` digest blocks chained from `seed`: SHA-256(seed), SHA-256(previous || seed), ...
std::string derived_bytes(std::string_view seed, int count) {
  std::string bytes;
  Digest block = sha256(seed);
  for (int i = 0; i < count; ++i) {
    bytes.append(reinterpret_cast<const char*>(block.data()), block.size());
    block = sha256(std::string(reinterpret_cast<const char*>(block.data()), block.size()) +
                   std::string(seed));
  }
  return bytes;
}

std::string pem(std::string_view label, std::string_view body) {
  const std::string encoded = base64(body);
  std::string text = "-----BEGIN " + std::string(label) + "-----\n";
  for (size_t at = 0; at < encoded.size(); at += 64)
    text += encoded.substr(at, 64) + "\n";
  return text + "-----END " + std::string(label) + "-----\n";
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items)
    text += (text.empty() ? "" : ", ") + item;
  return text;
}

}  // namespace

std::string digest_hex(std::initializer_list<std::string_view> parts) {
  return to_hex(sha256(framed(parts)));
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                             reinterpret_cast<const unsigned char*>(bytes.data()),
                             static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(size));
  return out;
}

std::string certificate(const CertificateFields& fields) {
  std::string description = "kc sim certificate; not a real certificate\n";
  description += "subject: CN=" + fields.common_name + "\n";
  description += "issuer: " + (fields.issuer.empty() ? "self" : fields.issuer) + "\n";
  description += "ca: " + std::string(fields.is_ca ? "true" : "false") + "\n";
  description += "validity: " + fields.validity + "\n";
  if (!fields.sans.empty()) description += "sans: " + joined(fields.sans) + "\n";
  if (!fields.usages.empty()) description += "usages: " + joined(fields.usages) + "\n";
  return pem("CERTIFICATE", description + derived_bytes(description, 8));
}

std::string private_key(std::initializer_list<std::string_view> parts) {
  const std::string seed = "private-key|" + framed(parts);
  return pem("PRIVATE KEY", "kc sim private key; not a real key\n" + derived_bytes(seed, 4));
}

std::string fingerprint(std::string_view certificate_text) {
  return "sha256:" + to_hex(sha256(certificate_text));
}

std::string join_token(std::initializer_list<std::string_view> parts) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  const Digest digest = sha256("join-token|" + framed(parts));
  std::string token;
  for (size_t i = 0; i < 22; ++i) {
    if (i == 6) token += '.';
    token += kAlphabet[digest[i] % 36];
  }
  return token;
}

}  // namespace kc::sim::pki
