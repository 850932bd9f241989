#include "tests/support/p256_test_key.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "core/digest.hpp"

namespace optgate::testing {

p256_test_key::p256_test_key() : key_(EVP_EC_gen("P-256"), EVP_PKEY_free) {
    if (!key_) throw std::runtime_error("EVP_EC_gen(P-256) failed");
}

std::string p256_test_key::public_key_base64() const {
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(key_.get(), &der);
    if (length <= 0) throw std::runtime_error("i2d_PUBKEY failed");
    const std::string out = base64_encode(std::string(reinterpret_cast<char*>(der), length));
    OPENSSL_free(der);
    return out;
}

std::string p256_test_key::sign(std::string_view timestamp, std::string_view body) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
    std::string message;
    message.append(timestamp).append(body);
    std::size_t length = 0;
    if (!context ||
        EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(context.get(), nullptr, &length,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
        throw std::runtime_error("EVP_DigestSign failed");
    std::string signature(length, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
        throw std::runtime_error("EVP_DigestSign failed");
    signature.resize(length);
    return base64_encode(signature);
}

}  // namespace optgate::testing
