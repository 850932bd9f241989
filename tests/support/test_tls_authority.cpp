#include "tests/support/test_tls_authority.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace optgate::testing {
namespace {

using key_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using cert_ptr = std::unique_ptr<X509, decltype(&X509_free)>;

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test TLS authority: ") + what + " failed");
}

key_ptr new_key() {
    key_ptr key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    require(key != nullptr, "key generation");
    return key;
}

void add_name(X509_NAME* name, const std::string& common_name) {
    require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                       -1, -1, 0) == 1,
            "common name");
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    require(ext != nullptr, "extension");
    require(X509_add_ext(cert, ext, -1) == 1, "X509_add_ext");
    X509_EXTENSION_free(ext);
}

// A certificate of `key` named `common_name`, signed by `issuer_key` (itself, for the
// authority), valid from an hour ago for a day.
cert_ptr make_certificate(EVP_PKEY* key, const std::string& common_name, X509* issuer,
                          EVP_PKEY* issuer_key, long serial) {
    cert_ptr cert(X509_new(), X509_free);
    require(cert != nullptr, "X509_new");
    require(X509_set_version(cert.get(), 2) == 1, "version");
    require(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) == 1, "serial");
    require(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
    require(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600) != nullptr, "notAfter");
    require(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
    add_name(X509_get_subject_name(cert.get()), common_name);
    X509* signer = issuer ? issuer : cert.get();
    require(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
    if (!issuer) {
        add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
        add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    }
    require(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string certificate_pem(X509* cert) {
    const std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
    require(out && PEM_write_bio_X509(out.get(), cert) == 1, "PEM_write_bio_X509");
    return bio_text(out.get());
}

std::string key_pem(EVP_PKEY* key) {
    const std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
    require(
        out && PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
    return bio_text(out.get());
}

}  // namespace

test_tls_authority::test_tls_authority(const std::string& name) {
    const auto ca_key = new_key();
    const auto ca = make_certificate(ca_key.get(), name, nullptr, ca_key.get(), 1);
    const auto server_key = new_key();
    const auto server = make_certificate(server_key.get(), "127.0.0.1", ca.get(), ca_key.get(), 2);
    ca_pem_ = certificate_pem(ca.get());
    server_pem_ = certificate_pem(server.get());
    server_key_pem_ = key_pem(server_key.get());
}

std::filesystem::path test_tls_authority::write_ca(const std::filesystem::path& file) const {
    std::ofstream(file, std::ios::binary) << ca_pem_;
    return file;
}

}  // namespace optgate::testing
