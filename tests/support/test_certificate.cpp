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

// A throwaway RSA-2048 key made for optgate's tests with `openssl genrsa 2048`; it signs
// nothing outside them.
constexpr const char* fixed_rsa_key_pem = R"(-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDEaCP822CHmKwp
6xnTetxvKvn7i07u60EKK+SdV9Ybmo0bKwxI1C/nyiM2IUNbTp67cDYBC+2SRvFQ
Vefi+Csld49mZUyOZUJi8oilnyLP9syPxAOU4ODsuv/9kj0wW15uuHee/30pdht3
QLvxIrSe4ys8FSJY8VEui4B2Hd4mHu/XZeEeGUDr8jSv+HYDYgfnR9jnP1Q7tiDe
oqx02RTJzHoVrlgd8DRbXzfp2eUUt1rdatwnkZjD6jXHwfD2/angI51p63xj07i6
cfTdN1TSaZXWqcXR24ZxvqJjptYrg9TGdJqgjdvwsNaZynDWmuGcVoYnoZQovi3G
wzsdPluJAgMBAAECggEATyuRciA2IYKDx6PqtaodSDyBJwoJJ9qxzXlS/q/E8TyT
66MnIQZTRzJejjfLUHd5GaJKSpK10ZSCOnleb0nNDp3KsqJbwTyFDaCpP2XN4Rmh
bMQ9E1qwoAxjGyJDQwZZovT91xwypi9jM+dmuvVb7H4y09XLEiI4MLRv9GzmuuNh
ztjFaBq/BVTaB/h0FSYXPFQ1dDiyYlqzgOfnNp5EgUVKk0DOeT0xvYqkid8b2mXq
kFtV3U9VJyZWW49OJnmOsTcqCE9JZML6tL4Yh90Dp03TJtPiEIzdgbmOZdie5Z/s
kanXbqBM2NNEgajgOMB0u8xc+8IiaMZNNQ6s3CWrxwKBgQDicmB6K9PJQPnznT0n
2MD4F8Cyd0QGjMuHqil0+/KCpW/Rh6o5R0STGBg2H3jTEqW4RxMh22NfvsznjTy9
39vCkHLmKA6c5PW1rZjOOdBOV5mNcOEaQ4QN+eXOUx5jbPD/pjsDJBeXu79ZFF3D
B0agpEKjzTd5Vdkxec0pVVhN8wKBgQDeCh990Thji3Ac8FhL6FqUJUGBnJI8zoL4
GT509+BGkefmBX3yo7iDgrLCn2F8H9Suk6Fb9DBA1eg2BIwXpN6Djd3BTn8Eo5OF
YE4eNnc6TTu9Im3sj5Pxog21YCU/o5KVYq3C1k9688wp+Y/gS+AJA2yjHcjQTyn7
f2gPZhFDkwKBgF44oyYSeGPkElyoT1r2GIziLT7U20wyZzmCtw9DCgwMVDOF1HFS
0xi1TNWwULDasHO1tyM+SuH63P13yg9jRuh0/CoB/tqPdiFrIwqkCaWfU3gDwNYR
w6+hDFrGQP2zxa9J9oH/EYYEC8E/9SeCLoQG9Od9KxjkfKPWf2Q0a7K7AoGBAL9Z
2//S8ZSgE1NtMbrhGEZ5wPVRGJn8otPq9W9aO1a14TLTYtJbk+UKGsItFpcg22pD
4hhb3cXSUpdS3eR2eijHdudjnYVC7xxPfaL970w4SRZa+H6Y0be4n7XCkPdCIU5K
R1MU3FQqjLVT1FFJMl6yK8p7HZef0Z9jEivLG2+vAoGBAINWGVcwMvAI1EFZDYt0
I6NvmYbraf6YP01MFVn9h8feQLs3WYEmtg9PtarMaD8bMxvO5X1uZo8ssYLWGQ8R
AwS1PgdpK4ir0C/BEKrionHktEPiM1egR0cJIOGNZW3LlpjYQ+qTgCOLdnXphmSb
ZNCtqoMOKn52TaEQIb3iWG2j
-----END PRIVATE KEY-----)";

EVP_PKEY* fixed_rsa_key() {
    const std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_mem_buf(fixed_rsa_key_pem, -1),
                                                       BIO_free);
    return in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr) : nullptr;
}

EVP_PKEY* new_key(test_certificate::key_type type) {
    switch (type) {
        case test_certificate::key_type::rsa_2048:
            return EVP_RSA_gen(2048);
        case test_certificate::key_type::ec_p256:
            return EVP_EC_gen("P-256");
        case test_certificate::key_type::fixed_rsa_2048:
            break;
    }
    return fixed_rsa_key();
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

test_certificate::test_certificate(key_type type) : key_(new_key(type), EVP_PKEY_free) {
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
