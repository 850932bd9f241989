#include "core/webhook_signature.hpp"

#include "core/digest.hpp"

namespace optgate {

std::string webhook_signature(std::string_view secret, std::string_view timestamp,
                              std::string_view body) {
    std::string signed_text;
    signed_text.reserve(timestamp.size() + 1 + body.size());
    signed_text.append(timestamp).append(".").append(body);
    return "v1=" + to_hex(hmac_sha256(secret, signed_text));
}

}  // namespace optgate
