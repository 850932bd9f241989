#include "tests/support/sms_webhook.hpp"

#include <chrono>
#include <thread>

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

// A family's texts never reach optgate in one millisecond, but a test's do: Twilio's texts
// carry no time, so each is dated when received, to the millisecond, and an opt-in dated
// the same as an opt-out loses the tie (by design: a tie never allows). Each send returns
// after the daemon's clock, which is this clock, has passed the millisecond it was answered
// in: the next text is dated later, as a family's would be.
http_result send_sms(const http_endpoint& daemon, const std::string& from, const std::string& to,
                     const std::string& body, const std::string& sid) {
    auto result = daemon.request(sms_call(from, to, body, sid));
    const auto answered =
        std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    while (std::chrono::system_clock::now() < answered + std::chrono::milliseconds(1))
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    return result;
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
