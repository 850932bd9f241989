// A throwaway ECDSA P-256 key pair made with OpenSSL, for tests of SendGrid's Signed Event
// Webhook: the public key as SendGrid's console shows it, and signatures made as SendGrid
// makes them (SHA-256, DER, base64).
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace optgate::testing {

class p256_test_key {
  public:
    p256_test_key();  // a new random key pair

    // Base64 of the DER SubjectPublicKeyInfo ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...").
    std::string public_key_base64() const;
    // Base64 of the DER ECDSA signature of `timestamp` followed by `body`.
    std::string sign(std::string_view timestamp, std::string_view body) const;

  private:
    std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace optgate::testing
