// A family's texts, end to end: signed Twilio webhooks into the built daemon, what it
// answers, what /v1/check then says, what the audit trail keeps and what the log shows
// (SPEC: SMS keywords). Each keyword's answer in process: tests/unit/http/sms_route_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/admin_changes.hpp"

namespace optgate::testing {
namespace {

using ::testing::ElementsAre;

constexpr const char* family = "+16515550100";

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
    // An emergency check names the programs the family left (FCC 16-88: it may still reach it).
    EXPECT_EQ(value_of(emergency, "other_opt_outs"), json::parse(R"(["district"])"));

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
              "dedupe_key,keyword,match,actor,stated_time,language,scope");
    // The same two entries as the NDJSON, every field quoted.
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& e = audit[i];
        std::string expected;
        for (const char* column :
             {"address", "channel", "program", "from", "to", "outcome", "event_time",
              "received_time", "source", "reference", "dedupe_key", "keyword", "match", "actor",
              "stated_time", "language", "scope"}) {
            if (!expected.empty()) expected += ',';
            expected += '"' + (value_of(e, column).is_null() ? "" : text_of(e, column)) + '"';
        }
        EXPECT_EQ(lines[i + 1], expected);
    }
    EXPECT_TRUE(
        lines[1].starts_with(R"("+16515550100","sms","district","","opted_out","applied",)"))
        << lines[1];
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
