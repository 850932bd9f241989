// An X.509 certificate's RSA public key, loaded from PEM, and RSA PKCS#1 v1.5 signature checks
// with it: how Amazon SNS messages are verified against the certificate the operator
// configured (optgate never downloads certificates itself).
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace optgate {

enum class signature_digest { sha1, sha256 };

// Immutable once loaded; copies share the key; safe to use from any thread.
class signing_certificate {
  public:
    // The first certificate of a PEM text, or nullopt with `error` saying why (not PEM, not a
    // certificate, not an RSA key).
    static std::optional<signing_certificate> from_pem(std::string_view pem, std::string& error);

    // True if `signature` (raw bytes) is this key's RSA PKCS#1 v1.5 signature of `message`.
    bool verifies(signature_digest digest, std::string_view message,
                  std::string_view signature) const;

  private:
    explicit signing_certificate(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
    std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace optgate
