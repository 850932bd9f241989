#include "core/twilio_signature.hpp"

#include <algorithm>

#include "core/digest.hpp"

namespace optgate {

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const form_fields& params) {
    form_fields sorted = params;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string message(url);
    for (const auto& [name, value] : sorted) {
        message += name;
        message += value;
    }
    return base64_encode(hmac_sha1(auth_token, message));
}

bool verify_twilio_signature(std::string_view auth_token, std::string_view url,
                             const form_fields& params, std::string_view presented) {
    return !presented.empty() &&
           constant_time_equal(twilio_signature(auth_token, url, params), presented);
}

}  // namespace optgate
