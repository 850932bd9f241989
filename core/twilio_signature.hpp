// X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each form param name+value,
// sorted by name)). Signed over every received param, untrimmed.
#pragma once

#include <string>
#include <string_view>

#include "core/form_urlencoded.hpp"

namespace optgate {

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const form_fields& params);

bool verify_twilio_signature(std::string_view auth_token, std::string_view url,
                             const form_fields& params, std::string_view presented);

}  // namespace optgate
