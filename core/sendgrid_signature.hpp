// SendGrid's Signed Event Webhook: an ECDSA P-256 signature (SHA-256; DER, then base64, in
// X-Twilio-Email-Event-Webhook-Signature) over the timestamp header followed by the raw body,
// verified with the account's verification key.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string_view>

namespace optgate {

// One account's verification key, parsed once when the config loads and shared by every
// request of that config snapshot. Immutable once parsed: verify() is safe from any thread.
class sendgrid_verification_key {
  public:
    // The key as SendGrid's console shows it: base64 of a DER SubjectPublicKeyInfo
    // ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE..."). nullopt for anything else, including keys
    // of other curves or algorithms.
    static std::optional<sendgrid_verification_key> parse(std::string_view base64_der);

    // True when `signature_base64` is this key's signature of `timestamp` followed by `body`.
    bool verify(std::string_view timestamp, std::string_view body,
                std::string_view signature_base64) const;

  private:
    explicit sendgrid_verification_key(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
    std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace optgate
