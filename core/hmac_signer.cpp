#include "core/hmac_signer.hpp"

#include <stdexcept>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace optgate {

void hmac_signer::context_free::operator()(EVP_MAC_CTX* ctx) const {
    EVP_MAC_CTX_free(ctx);
}

hmac_signer::hmac_signer(std::string_view digest, std::string_view key) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac) context_.reset(EVP_MAC_CTX_new(mac));
    EVP_MAC_free(mac);  // the context holds its own reference
    std::string name(digest);
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name.data(), 0), OSSL_PARAM_END};
    if (!context_ ||
        EVP_MAC_init(context_.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     params) != 1)
        throw std::runtime_error("OpenSSL cannot set up HMAC-" + name);
}

std::string hmac_signer::sign(std::string_view message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    // A null key keeps the one set up in the constructor and starts a new message.
    if (EVP_MAC_init(context_.get(), nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(context_.get(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        EVP_MAC_final(context_.get(), out, &length, sizeof out) != 1)
        throw std::runtime_error("OpenSSL cannot compute an HMAC");
    return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace optgate
