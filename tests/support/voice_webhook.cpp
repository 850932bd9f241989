#include "tests/support/voice_webhook.hpp"

namespace optgate::testing {

std::string call_sid(unsigned n) {
    return twilio_sid("CA", n);
}

form_fields voice_fields(const std::string& from, const std::string& to, const std::string& sid,
                         const std::optional<std::string>& digits) {
    form_fields fields = {{"AccountSid", "AC00000000000000000000000000000000"},
                          {"CallSid", sid},
                          {"From", from},
                          {"To", to},
                          {"CallStatus", digits ? "in-progress" : "ringing"},
                          {"Direction", "inbound"},
                          {"Caller", from},
                          {"Called", to},
                          {"ApiVersion", "2010-04-01"}};
    if (digits) fields.emplace_back("Digits", *digits);
    return fields;
}

http_call voice_call(const std::string& from, const std::string& to, const std::string& sid) {
    return signed_twilio_call(voice_path, voice_fields(from, to, sid));
}

http_call voice_digits_call(const std::string& target, const std::string& from,
                            const std::string& to, const std::string& sid,
                            const std::string& digits) {
    return signed_twilio_call(target, voice_fields(from, to, sid, digits));
}

}  // namespace optgate::testing
