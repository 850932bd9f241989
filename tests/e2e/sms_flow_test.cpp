// A family's texts, end to end: signed Twilio webhooks into the built daemon, what it
// answers, what /v1/check then says, and what the audit trail keeps (SPEC: SMS keywords).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

using ::testing::ElementsAre;

constexpr const char* family = "+16515550100";

void expect_twiml(const http_result& result, const std::string& body) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "text/xml; charset=utf-8");
    EXPECT_EQ(result.body, body);
}

// Nothing was recorded for the address: it is at its programs' defaults, with no history.
void expect_unchanged(const daemon_process& daemon, const std::string& address) {
    for (const char* program : {"district", "emergency"}) {
        const auto result = check_one(daemon, address, program);
        EXPECT_EQ(text_of(result, "reason"), "default") << program;
        EXPECT_EQ(value_of(result, "allowed"), json::value(true)) << program;
    }
    const auto consent = consent_of(daemon, address);
    EXPECT_EQ(value_of(consent, "records"), json::array());
    EXPECT_EQ(value_of(consent, "history"), json::array());
    EXPECT_TRUE(audit_entries(daemon).empty());
}

class SmsFlow : public e2e_test {};

TEST_F(SmsFlow, StopDeniesTheShortCodesProgramAndStartAllowsItAgain) {
    const auto daemon = start_daemon();
    const epoch_ms before = now_ms();
    expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    const epoch_ms after = now_ms();

    // No polling: a check waits until every acknowledged event is in Redis.
    const auto denied = check_one(*daemon, family, "district");
    EXPECT_EQ(keys_of(denied), (std::vector<std::string>{"address", "allowed", "input", "reason",
                                                         "since", "source", "state"}));
    EXPECT_EQ(text_of(denied, "input"), family);
    EXPECT_EQ(text_of(denied, "address"), family);
    EXPECT_EQ(value_of(denied, "allowed"), json::value(false));
    EXPECT_EQ(text_of(denied, "state"), "opted_out");
    EXPECT_EQ(text_of(denied, "reason"), "opted_out");
    EXPECT_EQ(text_of(denied, "source"), "twilio-sms");
    const auto since = parse_rfc3339(text_of(denied, "since"));
    ASSERT_TRUE(since) << text_of(denied, "since");
    EXPECT_GE(*since, before);
    EXPECT_LE(*since, after);

    // The emergency program is another short code's: still at its default.
    const auto emergency = check_one(*daemon, family, "emergency");
    EXPECT_EQ(value_of(emergency, "allowed"), json::value(true));
    EXPECT_EQ(text_of(emergency, "state"), "opted_in");
    EXPECT_EQ(text_of(emergency, "reason"), "default");
    EXPECT_FALSE(emergency.contains("since"));

    expect_twiml(send_sms(*daemon, family, district_code, "START", message_sid(2)),
                 twiml_message(opt_in_reply));
    const auto allowed = check_one(*daemon, family, "district");
    EXPECT_EQ(value_of(allowed, "allowed"), json::value(true));
    EXPECT_EQ(text_of(allowed, "state"), "opted_in");
    EXPECT_EQ(text_of(allowed, "reason"), "opted_in");
    EXPECT_EQ(text_of(allowed, "source"), "twilio-sms");

    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "address"), family);
    EXPECT_EQ(text_of(audit[0], "channel"), "sms");
    EXPECT_EQ(text_of(audit[0], "program"), "district");
    EXPECT_TRUE(value_of(audit[0], "from").is_null());  // no record before: the default applied
    EXPECT_EQ(text_of(audit[0], "to"), "opted_out");
    EXPECT_EQ(text_of(audit[0], "outcome"), "applied");
    EXPECT_EQ(text_of(audit[0], "source"), "twilio-sms");
    EXPECT_EQ(text_of(audit[0], "reference"), message_sid(1));
    EXPECT_EQ(text_of(audit[0], "dedupe_key"), message_sid(1));
    EXPECT_EQ(text_of(audit[0], "keyword"), "STOP");
    EXPECT_EQ(text_of(audit[0], "match"), "exact");
    EXPECT_EQ(text_of(audit[0], "actor"), "");
    EXPECT_EQ(text_of(audit[1], "from"), "opted_out");
    EXPECT_EQ(text_of(audit[1], "to"), "opted_in");
    EXPECT_EQ(text_of(audit[1], "outcome"), "applied");
    EXPECT_EQ(text_of(audit[1], "reference"), message_sid(2));
    EXPECT_EQ(text_of(audit[1], "keyword"), "START");
    for (const auto& entry : audit) {  // Twilio states no time: each is dated by its receipt
        EXPECT_EQ(text_of(entry, "event_time"), text_of(entry, "received_time"));
        EXPECT_EQ(text_of(entry, "stated_time"), "");
    }

    const auto csv = daemon->request(api_call("GET", "/v1/audit?format=csv", test_api_key));
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(header_of(csv, "content-type"), "text/csv; charset=utf-8");
    std::vector<std::string> lines;
    for (std::size_t begin = 0, end; (end = csv.body.find("\r\n", begin)) != std::string::npos;
         begin = end + 2)
        lines.push_back(csv.body.substr(begin, end - begin));
    ASSERT_EQ(lines.size(), 3u) << csv.body;
    EXPECT_EQ(lines[0],
              "address,channel,program,from,to,outcome,event_time,received_time,source,reference,"
              "dedupe_key,keyword,match,actor,stated_time");
    // The same two entries as the NDJSON, every field quoted.
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& e = audit[i];
        std::string expected;
        for (const char* column : {"address", "channel", "program", "from", "to", "outcome",
                                   "event_time", "received_time", "source", "reference",
                                   "dedupe_key", "keyword", "match", "actor", "stated_time"}) {
            if (!expected.empty()) expected += ',';
            expected += '"' + (value_of(e, column).is_null() ? "" : text_of(e, column)) + '"';
        }
        EXPECT_EQ(lines[i + 1], expected);
    }
    EXPECT_TRUE(
        lines[1].starts_with(R"("+16515550100","sms","district","","opted_out","applied",)"))
        << lines[1];
}

TEST_F(SmsFlow, StopAllOptsOutEveryProgramWithOneReply) {
    const auto daemon = start_daemon();
    // Sent to the emergency short code, yet STOPALL reaches the district program as well.
    expect_twiml(send_sms(*daemon, family, emergency_code, "stop all", message_sid(1)),
                 twiml_message(opt_out_reply));
    for (const char* program : {"district", "emergency"}) {
        const auto result = check_one(*daemon, family, program);
        EXPECT_EQ(value_of(result, "allowed"), json::value(false)) << program;
        EXPECT_EQ(text_of(result, "reason"), "opted_out") << program;
    }
    const auto audit = audit_entries(*daemon);
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
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, " help ", message_sid(1)),
                 twiml_message(help_reply));
    expect_unchanged(*daemon, family);
}

TEST_F(SmsFlow, AQuestionWithAnOptOutWordThatCountsOnlyAloneChangesNothing) {
    const auto daemon = start_daemon();
    expect_twiml(
        send_sms(*daemon, family, district_code, "did they cancel school?", message_sid(1)),
        twiml_empty());
    expect_twiml(send_sms(*daemon, family, district_code, "stopwatch", message_sid(2)),
                 twiml_empty());
    expect_unchanged(*daemon, family);
}

TEST_F(SmsFlow, StopInsideASentenceOptsOutAndIsRecordedAsContained) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, "please stop texting me", message_sid(1)),
                 twiml_message(opt_out_reply));
    const auto result = check_one(*daemon, family);
    EXPECT_EQ(text_of(result, "reason"), "opted_out");
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(text_of(audit[0], "match"), "contained");
    EXPECT_EQ(text_of(audit[0], "keyword"), "please stop texting me");
    EXPECT_EQ(text_of(audit[0], "to"), "opted_out");
}

TEST_F(SmsFlow, KeywordsIgnoreCaseSpacesAndTrailingPunctuation) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, "  Unsubscribe!! ", message_sid(1)),
                 twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    expect_twiml(send_sms(*daemon, family, district_code, "unstop.", message_sid(2)),
                 twiml_message(opt_in_reply));
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_in");
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(text_of(audit[0], "match"), "exact");
    EXPECT_EQ(text_of(audit[1], "match"), "exact");
}

TEST_F(SmsFlow, AStopDressedInEmojiFullWidthOrInvisibleCharactersDenies) {
    const auto daemon = start_daemon();
    const std::vector<std::string> stops{
        "STOP\xF0\x9F\x9B\x91",                              // STOP🛑
        "\xEF\xBB\xBFstop\xE2\x80\x8B",                      // BOM stop ZWSP
        "\xEF\xBC\xB3\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0",  // ＳＴＯＰ
        "S\xE2\x80\x8DT\xE2\x81\xA0OP\xEF\xB8\x8F",          // S ZWJ T WJ OP VS16
    };
    for (std::size_t i = 0; i < stops.size(); ++i) {
        const std::string number = "+1651555020" + std::to_string(i);
        SCOPED_TRACE(stops[i]);
        expect_twiml(
            send_sms(*daemon, number, district_code, stops[i], message_sid(unsigned(i) + 1)),
            twiml_message(opt_out_reply));
        const auto result = check_one(*daemon, number, "district");
        EXPECT_EQ(value_of(result, "allowed"), json::value(false));
        EXPECT_EQ(text_of(result, "reason"), "opted_out");
    }
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), stops.size());
    for (const auto& entry : audit) EXPECT_EQ(text_of(entry, "match"), "exact");
}

TEST_F(SmsFlow, AnythingButAnOptOutToAnUnknownShortCodeChangesNothing) {
    const auto daemon = start_daemon();
    for (const char* body : {"START", "HELP", "see you at the game"})
        expect_twiml(send_sms(*daemon, family, "12345", body, message_sid(1)), twiml_empty());
    expect_unchanged(*daemon, family);
}

// A short code added at Twilio and forgotten in sms.short_codes: its program is unknown, so
// the family's STOP stops every program rather than nothing.
TEST_F(SmsFlow, AStopToAnUnknownShortCodeStopsEveryProgram) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, "12345", "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    for (const char* program : {"district", "emergency"})
        EXPECT_EQ(text_of(check_one(*daemon, family, program), "reason"), "opted_out") << program;
    EXPECT_NE(daemon->log_text().find("unknown short code 12345"), std::string::npos);
}

TEST_F(SmsFlow, SenderThatIsNotAPhoneNumberIsAnsweredEmptyAndChangesNothing) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, "anonymous", district_code, "STOP", message_sid(1)),
                 twiml_empty());
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

TEST_F(SmsFlow, NationalFormSenderIsNormalisedToE164) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, "6515550100", district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    // Every written form of the number is the one opted-out address.
    for (const char* input : {"+16515550100", "(651) 555-0100", "1-651-555-0100"}) {
        const auto result = check_one(*daemon, input);
        EXPECT_EQ(text_of(result, "input"), input);
        EXPECT_EQ(text_of(result, "address"), family) << input;
        EXPECT_EQ(text_of(result, "reason"), "opted_out") << input;
    }
    const auto consent = consent_of(*daemon, "%2B16515550100");
    EXPECT_EQ(text_of(consent, "address"), family);
    ASSERT_TRUE(consent.contains("records") && consent.at("records").is_array());
    EXPECT_EQ(consent.at("records").as_array().size(), 1u);
}

TEST_F(SmsFlow, AStopWhoseTextIsNotValidUtf8IsStillHonouredAndAudited) {
    // Providers' text is bytes: a STOP must survive the journal, Redis and the audit as is.
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, "STOP \xC3\xFF", message_sid(1)),
                 twiml_message(opt_out_reply));
    EXPECT_EQ(text_of(check_one(*daemon, family, "district"), "reason"), "opted_out");
    const auto entries = audit_entries(*daemon);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(text_of(entries[0], "keyword"), "STOP \xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFD each
}

TEST_F(SmsFlow, LogsNeverShowAPhoneNumberInClear) {
    const auto daemon = start_daemon();
    expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    send_sms(*daemon, "+16515550177", "99999", "STOP", message_sid(2));  // unknown short code
    send_sms(*daemon, "anonymous", district_code, "STOP", message_sid(3));
    const auto put = daemon->request(api_call("PUT", "/v1/consent/%2B16515550100", test_api_key,
                                              R"({"channel":"sms","program":"emergency",)"
                                              R"("state":"opted_out","source":"office"})"));
    EXPECT_EQ(put.status, 200) << put.body;
    const auto log = daemon->log_text();
    ASSERT_NE(log.find("+1651***0100"), std::string::npos) << log;  // it is logged, masked
    for (const char* clear : {"6515550100", "5550100", "6515550177", "5550177"})
        EXPECT_EQ(log.find(clear), std::string::npos) << clear << " in clear:\n" << log;
}

}  // namespace
}  // namespace optgate::testing
