// Certificates in a PEM text (a bundle of certificate authorities), counted as OpenSSL reads
// them: how the config checks a webhook's ca_file before optgated would load it.
#pragma once

#include <cstddef>
#include <string_view>

namespace optgate {

// How many X.509 certificates read one after another from the start of `pem`; stops at the
// first block that is not one.
std::size_t count_pem_certificates(std::string_view pem);

}  // namespace optgate
