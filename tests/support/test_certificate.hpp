// A throwaway key and its self-signed X.509 certificate, made with OpenSSL for tests of
// certificate-based signatures (Amazon SNS): the PEM to configure, and signatures made with
// the private key exactly as the provider makes them.
#pragma once

#include <openssl/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/signing_certificate.hpp"
#include "core/sns_signature.hpp"

namespace optgate::testing {

class test_certificate {
  public:
    // rsa_2048 and ec_p256 are new random keys. Generating an RSA key takes up to a second,
    // so a test that needs one key only (not a forger's second one) takes fixed_rsa_2048: the
    // same throwaway key, checked in, in every test process.
    enum class key_type { rsa_2048, ec_p256, fixed_rsa_2048 };

    explicit test_certificate(key_type type = key_type::rsa_2048);

    const std::string& pem() const { return pem_; }
    // Writes the PEM to `file` and returns its path.
    std::filesystem::path write(const std::filesystem::path& file) const;
    // The raw PKCS#1 v1.5 (RSA) signature of `message` with the private key.
    std::string sign(signature_digest digest, std::string_view message) const;

  private:
    std::shared_ptr<EVP_PKEY> key_;
    std::string pem_;
};

// Sets `message.signature` and `.signature_version` ("1": SHA1, "2": SHA256) as SNS does:
// base64 of the signature over sns_string_to_sign(message).
void sign_sns_message(sns_message& message, const test_certificate& certificate,
                      std::string_view version);

}  // namespace optgate::testing
