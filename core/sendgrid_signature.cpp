#include "core/sendgrid_signature.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstring>

#include "core/digest.hpp"

namespace optgate {
namespace {

// A DER ECDSA P-256 signature is at most 72 bytes; anything much longer is not one.
constexpr std::size_t max_signature_base64 = 256;

bool is_p256(EVP_PKEY* key) {
    char group[32] = {};
    std::size_t length = 0;
    return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC &&
           EVP_PKEY_get_group_name(key, group, sizeof group, &length) == 1 &&
           std::strcmp(group, "prime256v1") == 0;
}

}  // namespace

std::optional<sendgrid_verification_key> sendgrid_verification_key::parse(
    std::string_view base64_der) {
    const auto der = base64_decode(base64_der);
    if (!der || der->empty()) return std::nullopt;
    const auto* cursor = reinterpret_cast<const unsigned char*>(der->data());
    std::shared_ptr<EVP_PKEY> key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der->size())),
                                  EVP_PKEY_free);
    const bool whole = cursor == reinterpret_cast<const unsigned char*>(der->data()) + der->size();
    if (!key || !whole || !is_p256(key.get())) {
        ERR_clear_error();  // leave no stale error behind for the next OpenSSL caller
        return std::nullopt;
    }
    return sendgrid_verification_key(std::move(key));
}

bool sendgrid_verification_key::verify(std::string_view timestamp, std::string_view body,
                                       std::string_view signature_base64) const {
    if (signature_base64.empty() || signature_base64.size() > max_signature_base64) return false;
    const auto signature = base64_decode(signature_base64);
    if (!signature || signature->empty()) return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
    const bool valid =
        context &&
        EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
        EVP_DigestVerifyUpdate(context.get(), timestamp.data(), timestamp.size()) == 1 &&
        EVP_DigestVerifyUpdate(context.get(), body.data(), body.size()) == 1 &&
        EVP_DigestVerifyFinal(context.get(),
                              reinterpret_cast<const unsigned char*>(signature->data()),
                              signature->size()) == 1;
    if (!valid) ERR_clear_error();
    return valid;
}

}  // namespace optgate
