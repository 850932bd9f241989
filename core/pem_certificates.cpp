#include "core/pem_certificates.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>

namespace optgate {

std::size_t count_pem_certificates(std::string_view pem) {
    if (pem.empty() || pem.size() > INT_MAX) return 0;
    const std::unique_ptr<BIO, decltype(&BIO_free)> in(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    std::size_t count = 0;
    while (in) {
        X509* cert = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr);
        if (!cert) break;
        X509_free(cert);
        ++count;
    }
    ERR_clear_error();  // the end of the text reads as an error: leave none behind
    return count;
}

}  // namespace optgate
