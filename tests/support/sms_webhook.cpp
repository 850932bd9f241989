#include "tests/support/sms_webhook.hpp"

#include <cstdio>

namespace optgate::testing {

std::string message_sid(unsigned n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "SM%032x", n);
    return buf;
}

form_fields sms_fields(const std::string& from, const std::string& to, const std::string& body,
                       const std::string& sid) {
    return {{"AccountSid", "AC00000000000000000000000000000000"},
            {"MessageSid", sid},
            {"From", from},
            {"To", to},
            {"Body", body},
            {"NumMedia", "0"}};
}

http_call sms_call(const std::string& from, const std::string& to, const std::string& body,
                   const std::string& sid) {
    return twilio_post(test_public_url, sms_path, test_twilio_token,
                       sms_fields(from, to, body, sid));
}

http_result send_sms(const daemon_process& daemon, const std::string& from, const std::string& to,
                     const std::string& body, const std::string& sid) {
    return daemon.request(sms_call(from, to, body, sid));
}

}  // namespace optgate::testing
