// SendGrid's Signed Event Webhook, end to end: a batch signed with a P-256 key made in the
// test, posted to the built daemon as SendGrid posts it, ends in Redis (what /v1/check and
// the audit trail then say, SPEC "Email"); and a batch of thousands of events, over the real
// socket, journaled in records. Every other answer and refusal in process:
// tests/unit/http/sendgrid_webhook_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/sendgrid_webhook.hpp"

namespace optgate::testing {
namespace {

using sendgrid::event;
using sendgrid::expect_accepted;

constexpr const char* jane = "jane.doe@example.org";
constexpr const char* omar = "omar@example.org";

// Event times: Unix seconds, a little in the past as SendGrid reports them.
std::int64_t seconds_ago(std::int64_t seconds) {
    return now_ms() / 1000 - seconds;
}

// Signed now.
http_call signed_post(const p256_test_key& key, const std::string& body) {
    return sendgrid::signed_post(key, body, seconds_ago(0));
}

http_call signed_post(const p256_test_key& key, const json::array& events) {
    return signed_post(key, json::serialize(events));
}

class SendgridWebhook : public e2e_test {
  protected:
    std::unique_ptr<daemon_process> start() {
        return start_daemon(sendgrid::email_config, sendgrid::provider_yaml(key_));
    }
    p256_test_key key_;
};

TEST_F(SendgridWebhook, UnsubscribeOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const std::int64_t acted = seconds_ago(90);
    const json::array batch{event("processed", jane, "evt-processed", acted - 60),
                            event("delivered", jane, "evt-delivered", acted - 30),
                            event("unsubscribe", "Jane.Doe@Example.ORG", "evt-unsub", acted),
                            event("spamreport", omar, "evt-spam", acted)};
    expect_accepted(daemon->request(signed_post(key_, batch)), 4, 2);

    for (const char* address : {jane, omar}) {
        const auto denied = check_one(*daemon, address, "district", "email");
        EXPECT_EQ(value_of(denied, "allowed"), json::value(false)) << address;
        EXPECT_EQ(text_of(denied, "reason"), "opted_out") << address;
        EXPECT_EQ(text_of(denied, "source"), "sendgrid") << address;
        EXPECT_EQ(text_of(denied, "since"), format_rfc3339(acted * 1000)) << address;
        // Emergency email keeps going (SPEC: email.unsubscribe_programs is district only).
        expect_email_default(*daemon, address, "emergency");
    }

    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    std::vector<std::string> keywords;
    for (const auto& entry : audit) {
        EXPECT_EQ(text_of(entry, "channel"), "email");
        EXPECT_EQ(text_of(entry, "program"), "district");
        EXPECT_EQ(text_of(entry, "to"), "opted_out");
        EXPECT_EQ(text_of(entry, "outcome"), "applied");
        EXPECT_EQ(text_of(entry, "source"), "sendgrid");
        EXPECT_EQ(text_of(entry, "event_time"), format_rfc3339(acted * 1000));
        EXPECT_EQ(text_of(entry, "dedupe_key"), "sendgrid:" + text_of(entry, "reference"));
        keywords.push_back(text_of(entry, "address") + " " + text_of(entry, "keyword") + " " +
                           text_of(entry, "reference"));
    }
    std::sort(keywords.begin(), keywords.end());
    EXPECT_THAT(keywords, ::testing::ElementsAre("jane.doe@example.org unsubscribe evt-unsub",
                                                 "omar@example.org spamreport evt-spam"));
}

// SendGrid posts batches of up to 768 KB: one of 3,000 unsubscribes and 500 opens (over
// 300 KB) is accepted whole, journaled in records of 500 events, and applied.
TEST_F(SendgridWebhook, ABatchOfThousandsOfEventsIsAcceptedAndJournaledInRecords) {
    const auto daemon = start();
    const std::int64_t t = seconds_ago(120);
    json::array batch;
    std::vector<std::string> parents;
    for (int i = 0; i < 3000; ++i) {
        parents.push_back("parent" + std::to_string(i) + "@example.org");
        batch.push_back(json::object{{"email", parents.back()},
                                     {"timestamp", t},
                                     {"event", i % 4 == 3 ? "spamreport" : "unsubscribe"},
                                     {"sg_event_id", "e" + std::to_string(i)}});
    }
    for (int i = 0; i < 500; ++i)
        batch.push_back(json::object{{"email", parents[i]},
                                     {"timestamp", t},
                                     {"event", "open"},
                                     {"sg_event_id", "o" + std::to_string(i)}});
    const std::string body = json::serialize(batch);
    ASSERT_GT(body.size(), 300u * 1024) << "the test batch must be far over 64 KiB";
    expect_accepted(daemon->request(signed_post(key_, body)), 3500, 3000);

    const auto result = post_check(*daemon, "email", "district", parents);
    ASSERT_EQ(result.status, 200) << result.body;
    const auto answer = parse_json(result.body).as_object();
    EXPECT_EQ(value_of(answer, "allowed"), json::value(0));
    EXPECT_EQ(value_of(answer, "denied"), json::value(3000));
    EXPECT_EQ(audit_entries(*daemon).size(), 3000u);
    // Six records of 500 events, named on the one "journaled as" line of the request.
    std::size_t journaled = 0;
    std::istringstream log(daemon->log_text());
    for (std::string line; std::getline(log, line);)
        if (line.find("sendgrid: 3500 events") != std::string::npos &&
            line.find("journaled as") != std::string::npos) {
            ++journaled;
            EXPECT_THAT(line, ::testing::ContainsRegex("journaled as ([0-9]+) to ([0-9]+)"));
        }
    EXPECT_EQ(journaled, 1u) << daemon->log_text();
}

}  // namespace
}  // namespace optgate::testing
