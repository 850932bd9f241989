#include "core/mailgun_signature.hpp"

#include "core/digest.hpp"

namespace optgate {

std::string mailgun_signature(std::string_view signing_key, std::string_view timestamp,
                              std::string_view token) {
    std::string message;
    message.reserve(timestamp.size() + token.size());
    message += timestamp;
    message += token;
    return to_hex(hmac_sha256(signing_key, message));
}

bool verify_mailgun_signature(std::string_view signing_key, std::string_view timestamp,
                              std::string_view token, std::string_view presented) {
    return !presented.empty() &&
           constant_time_equal(mailgun_signature(signing_key, timestamp, token), presented);
}

}  // namespace optgate
