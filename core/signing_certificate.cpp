#include "core/signing_certificate.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <climits>

namespace optgate {

std::optional<signing_certificate> signing_certificate::from_pem(std::string_view pem,
                                                                 std::string& error) {
    if (pem.size() > INT_MAX) {
        error = "the file is too large for a certificate";
        return std::nullopt;
    }
    const std::unique_ptr<BIO, decltype(&BIO_free)> in(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    const std::unique_ptr<X509, decltype(&X509_free)> cert(
        in ? PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr) : nullptr, X509_free);
    if (!cert) {
        ERR_clear_error();  // OpenSSL's per-thread queue: leave nothing for the next caller
        error = "not a PEM X.509 certificate (-----BEGIN CERTIFICATE-----)";
        return std::nullopt;
    }
    std::shared_ptr<EVP_PKEY> key(X509_get_pubkey(cert.get()), EVP_PKEY_free);
    if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
        error = "the certificate's key is not an RSA key (SNS signs with RSA)";
        return std::nullopt;
    }
    return signing_certificate(std::move(key));
}

bool signing_certificate::verifies(signature_digest digest, std::string_view message,
                                   std::string_view signature) const {
    const EVP_MD* md = digest == signature_digest::sha1 ? EVP_sha1() : EVP_sha256();
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      EVP_MD_CTX_free);
    EVP_PKEY_CTX* key_ctx = nullptr;  // owned by ctx
    const bool valid =
        ctx && EVP_DigestVerifyInit(ctx.get(), &key_ctx, md, nullptr, key_.get()) == 1 &&
        EVP_PKEY_CTX_set_rsa_padding(key_ctx, RSA_PKCS1_PADDING) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                         signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size()) == 1;
    if (!valid) ERR_clear_error();
    return valid;
}

}  // namespace optgate
