// Postmark's SubscriptionChange webhook, end to end: a spam complaint in Postmark's documented
// shape, posted with the basic auth credentials of the webhook URL to the built daemon, ends
// in Redis (what /v1/check and the audit trail then say, SPEC "Email") and the daemon's log
// shows neither the address nor the password. Reactivations, bounces, refusals and dating in
// process: tests/unit/http/postmark_webhook_test.cpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/postmark_webhook.hpp"

namespace optgate::testing {
namespace {

using postmark::message_id;
using postmark::password;
using postmark::post;
using postmark::subscription_change;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* jane = "jane.doe@example.org";

class PostmarkWebhook : public e2e_test {
  protected:
    static std::unique_ptr<daemon_process> start() {
        return start_daemon({}, postmark::provider_yaml());
    }
};

TEST_F(PostmarkWebhook, ASpamComplaintOptsOutOfTheUnsubscribeProgramsOnly) {
    const auto daemon = start();
    const epoch_ms changed = now_ms() - 60'000;
    expect_webhook_status(daemon->request(post(subscription_change("Jane.Doe@Example.org", true,
                                                                   "SpamComplaint", changed))),
                          "journaled");
    const auto entry = expect_email_unsubscribed(*daemon, jane, "postmark", changed);
    EXPECT_EQ(text_of(entry, "reference"), message_id);
    EXPECT_EQ(text_of(entry, "dedupe_key"), std::string("postmark:") + message_id + ":" +
                                                format_rfc3339(changed) + ":suppressed");
    EXPECT_EQ(text_of(entry, "keyword"), "SpamComplaint");
    EXPECT_EQ(text_of(entry, "event_time"), format_rfc3339(changed));
    EXPECT_THAT(daemon->log_text(), Not(HasSubstr(jane)));
    EXPECT_THAT(daemon->log_text(), Not(HasSubstr(password)));
}

}  // namespace
}  // namespace optgate::testing
