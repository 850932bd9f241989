// A family's texts in process: signed Twilio webhooks into the routes, what they answer, what
// /v1/check then says, and what the audit trail keeps (SPEC: SMS keywords).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/support/admin_changes.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

using ::testing::ElementsAre;

constexpr const char* family = "+16515550100";

class SmsFlow : public ::testing::Test {
  protected:
    route_harness api;
};

TEST_F(SmsFlow, StopAllOptsOutEveryProgramWithOneReply) {
    // Sent to the emergency short code, yet STOPALL reaches the district program as well.
    expect_twiml(send_sms(api, family, emergency_code, "stop all", message_sid(1)),
                 twiml_message(opt_out_reply));
    for (const char* program : {"district", "emergency"}) {
        const auto result = check_one(api, family, program);
        EXPECT_EQ(value_of(result, "allowed"), json::value(false)) << program;
        EXPECT_EQ(text_of(result, "reason"), "opted_out") << program;
    }
    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 2u);
    std::vector<std::string> programs;
    for (const auto& entry : audit) {
        programs.push_back(text_of(entry, "program"));
        EXPECT_EQ(text_of(entry, "reference"), message_sid(1));
        EXPECT_EQ(text_of(entry, "outcome"), "applied");
        EXPECT_EQ(text_of(entry, "keyword"), "stop all");
    }
    std::sort(programs.begin(), programs.end());
    EXPECT_THAT(programs, ElementsAre("district", "emergency"));
}

TEST_F(SmsFlow, HelpAnswersWithTheHelpReplyAndChangesNothing) {
    expect_twiml(send_sms(api, family, district_code, " help ", message_sid(1)),
                 twiml_message(help_reply));
    expect_nothing_changed(api, family);
}

TEST_F(SmsFlow, AQuestionWithAnOptOutWordThatCountsOnlyAloneChangesNothing) {
    expect_twiml(send_sms(api, family, district_code, "did they cancel school?", message_sid(1)),
                 twiml_empty());
    expect_twiml(send_sms(api, family, district_code, "stopwatch", message_sid(2)), twiml_empty());
    expect_nothing_changed(api, family);
}

TEST_F(SmsFlow, StopInsideASentenceOptsOutAndIsRecordedAsContained) {
    expect_twiml(send_sms(api, family, district_code, "please stop texting me", message_sid(1)),
                 twiml_message(opt_out_reply));
    const auto result = check_one(api, family);
    EXPECT_EQ(text_of(result, "reason"), "opted_out");
    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(text_of(audit[0], "match"), "contained");
    EXPECT_EQ(text_of(audit[0], "keyword"), "please stop texting me");
    EXPECT_EQ(text_of(audit[0], "to"), "opted_out");
}

TEST_F(SmsFlow, KeywordsIgnoreCaseSpacesAndTrailingPunctuation) {
    expect_twiml(send_sms(api, family, district_code, "  Unsubscribe!! ", message_sid(1)),
                 twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
    expect_twiml(send_sms(api, family, district_code, "unstop.", message_sid(2)),
                 twiml_message(opt_in_reply));
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_in");
    const auto audit = audit_entries(api);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "match"), "exact");
    EXPECT_EQ(text_of(audit[1], "match"), "exact");
}

TEST_F(SmsFlow, AnythingButAnOptOutToAnUnknownShortCodeChangesNothing) {
    for (const char* body : {"START", "HELP", "see you at the game"})
        expect_twiml(send_sms(api, family, "12345", body, message_sid(1)), twiml_empty());
    expect_nothing_changed(api, family);
}

TEST_F(SmsFlow, SenderThatIsNotAPhoneNumberIsAnsweredEmptyAndChangesNothing) {
    expect_twiml(send_sms(api, "anonymous", district_code, "STOP", message_sid(1)), twiml_empty());
    EXPECT_TRUE(audit_entries(api).empty());
}

TEST_F(SmsFlow, NationalFormSenderIsNormalisedToE164) {
    expect_twiml(send_sms(api, "6515550100", district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    // Every written form of the number is the one opted-out address.
    for (const char* input : {"+16515550100", "(651) 555-0100", "1-651-555-0100"}) {
        const auto result = check_one(api, input);
        EXPECT_EQ(text_of(result, "input"), input);
        EXPECT_EQ(text_of(result, "address"), family) << input;
        EXPECT_EQ(text_of(result, "reason"), "opted_out") << input;
    }
    const auto consent = consent_of(api, "%2B16515550100");
    EXPECT_EQ(text_of(consent, "address"), family);
    ASSERT_TRUE(consent.contains("records") && consent.at("records").is_array());
    EXPECT_EQ(consent.at("records").as_array().size(), 1u);
}

TEST_F(SmsFlow, AStopWhoseTextIsNotValidUtf8IsStillHonouredAndAudited) {
    // Providers' text is bytes: a STOP must survive the journal, Redis and the audit as is.
    expect_twiml(send_sms(api, family, district_code, "STOP \xC3\xFF", message_sid(1)),
                 twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(api, family, "district"), "reason"), "opted_out");
    const auto entries = audit_entries(api);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(text_of(entries[0], "keyword"), "STOP \xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFD each
}

}  // namespace
}  // namespace optgate::testing
