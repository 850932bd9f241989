#include "tests/support/sms_webhook.hpp"

#include <gtest/gtest.h>

#include "tests/support/api_reply.hpp"

namespace optgate::testing {

std::string message_sid(unsigned n) {
    return twilio_sid("SM", n);
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
    return signed_twilio_call(sms_path, sms_fields(from, to, body, sid));
}

http_result send_sms(const http_endpoint& daemon, const std::string& from, const std::string& to,
                     const std::string& body, const std::string& sid) {
    return daemon.request(sms_call(from, to, body, sid));
}

std::string twiml_message(std::string_view reply) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>" + std::string(reply) +
           "</Message></Response>";
}

std::string twiml_empty() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
}

void expect_twiml(const http_result& result, const std::string& body) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "text/xml; charset=utf-8");
    EXPECT_EQ(result.body, body);
}

}  // namespace optgate::testing
