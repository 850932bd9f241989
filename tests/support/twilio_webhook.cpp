#include "tests/support/twilio_webhook.hpp"

#include <cstdio>

#include "tests/support/daemon_process.hpp"

namespace optgate::testing {

std::string twilio_sid(std::string_view prefix, unsigned n) {
    char digits[40];
    std::snprintf(digits, sizeof digits, "%032x", n);
    return std::string(prefix) + digits;
}

http_call signed_twilio_call(const std::string& target, const form_fields& fields) {
    return twilio_post(test_public_url, target, test_twilio_token, fields);
}

}  // namespace optgate::testing
