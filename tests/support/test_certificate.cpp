#include "tests/support/test_certificate.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <stdexcept>

#include "core/digest.hpp"

namespace optgate::testing {
namespace {

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

std::string self_signed_pem(EVP_PKEY* key) {
    const std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    require(cert != nullptr, "X509_new");
    require(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
    require(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1, "serial");
    require(X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) != nullptr, "notBefore");
    require(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600) != nullptr, "notAfter");
    require(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(cert.get());
    require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>("sns.test"), -1, -1,
                                       0) == 1,
            "subject");
    require(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
    require(X509_sign(cert.get(), key, EVP_sha256()) > 0, "X509_sign");
    const std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
    require(out && PEM_write_bio_X509(out.get(), cert.get()) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

test_certificate::test_certificate(key_type type)
    : key_(type == key_type::rsa_2048 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"), EVP_PKEY_free) {
    require(key_ != nullptr, "key generation");
    pem_ = self_signed_pem(key_.get());
}

std::filesystem::path test_certificate::write(const std::filesystem::path& file) const {
    std::ofstream(file, std::ios::binary) << pem_;
    return file;
}

std::string test_certificate::sign(signature_digest digest, std::string_view message) const {
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      EVP_MD_CTX_free);
    const EVP_MD* md = digest == signature_digest::sha1 ? EVP_sha1() : EVP_sha256();
    require(ctx && EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key_.get()) == 1,
            "EVP_DigestSignInit");
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    std::size_t size = 0;
    require(EVP_DigestSign(ctx.get(), nullptr, &size, data, message.size()) == 1, "sign size");
    std::string signature(size, '\0');
    require(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                           data, message.size()) == 1,
            "EVP_DigestSign");
    signature.resize(size);
    return signature;
}

void sign_sns_message(sns_message& message, const test_certificate& certificate,
                      std::string_view version) {
    message.signature_version = std::string(version);
    const auto text = sns_string_to_sign(message);
    if (!text) throw std::runtime_error("sign_sns_message: unknown SNS type " + message.type);
    message.signature = base64_encode(certificate.sign(
        version == "1" ? signature_digest::sha1 : signature_digest::sha256, *text));
}

}  // namespace optgate::testing
