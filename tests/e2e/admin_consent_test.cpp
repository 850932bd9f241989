// Administration of consent records through the daemon and Redis: a change and its history,
// and an office clock ahead of optgate's (SPEC: rules of consent 2 and 3). The routes' other
// answers are tests/unit/http's (admin_consent_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <string>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/admin_changes.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";
constexpr const char* family_path = "%2B16515550100";

class AdminConsent : public e2e_test {};

TEST_F(AdminConsent, ChangeIsAppliedAndShownWithItsHistoryNewestFirst) {
    const auto daemon = start_daemon();
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_out","source":"office",)"
                                      R"("at":"2026-01-05T10:00:00Z","request_id":"req-1")")),
                   "applied", nullptr, "req-1");
    const auto out = check_one(*daemon, family);
    EXPECT_EQ(text_of(out, "reason"), "opted_out");
    EXPECT_EQ(text_of(out, "since"), "2026-01-05T10:00:00.000Z");
    EXPECT_EQ(text_of(out, "source"), "office");

    // An admin change that says so re-opts in (only an import may not).
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_in","source":"office",)"
                                      R"("at":"2026-01-06T10:00:00+01:00","request_id":"req-2")")),
                   "applied", "opted_out", "req-2");
    const auto consent = consent_of(*daemon, family_path);
    EXPECT_EQ(text_of(consent, "address"), family);
    EXPECT_EQ(value_of(consent, "records"), json::parse(R"([{"channel":"sms","program":"district",
        "state":"opted_in","since":"2026-01-06T09:00:00.000Z","source":"office",
        "reference":"req-2","language":""}])"));
    const auto history = history_of(*daemon, family_path);
    ASSERT_EQ(history.size(), 2u);
    const auto& newest = history[0].as_object();
    EXPECT_EQ(text_of(newest, "reference"), "req-2");
    EXPECT_EQ(text_of(newest, "from"), "opted_out");
    EXPECT_EQ(text_of(newest, "to"), "opted_in");
    EXPECT_EQ(text_of(newest, "outcome"), "applied");
    EXPECT_EQ(text_of(newest, "event_time"), "2026-01-06T09:00:00.000Z");
    EXPECT_EQ(text_of(newest, "source"), "office");
    EXPECT_EQ(text_of(newest, "actor"), "office");  // the API key's name
    const auto& oldest = history[1].as_object();
    EXPECT_EQ(text_of(oldest, "reference"), "req-1");
    EXPECT_TRUE(value_of(oldest, "from").is_null());
    EXPECT_EQ(text_of(oldest, "to"), "opted_out");
}

// SPEC rule 2: an operator's clock minutes ahead must not lock the record against the family's
// STOP that arrives a moment later (the STOP was audited "superseded", and the check allowed).
TEST_F(AdminConsent, AnOptInDatedAheadOfTheClockDoesNotOutrankALaterStop) {
    const auto daemon = start_daemon();
    const epoch_ms ahead = now_ms() + 4 * 60 * 1000;
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_in","source":"office","at":")" +
                                      format_rfc3339(ahead) + R"(","request_id":"ahead")")),
                   "applied", nullptr, "ahead");
    EXPECT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);

    const auto result = check_one(*daemon, family);
    EXPECT_EQ(value_of(result, "allowed"), json::value(false));
    EXPECT_EQ(text_of(result, "reason"), "opted_out");
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    // The office's change is dated by its receipt, its own time kept beside it.
    EXPECT_EQ(text_of(audit[0], "event_time"), text_of(audit[0], "received_time"));
    EXPECT_EQ(text_of(audit[0], "stated_time"), format_rfc3339(ahead));
    EXPECT_EQ(text_of(audit[1], "outcome"), "applied");
    EXPECT_EQ(text_of(audit[1], "stated_time"), "");
}

}  // namespace
}  // namespace optgate::testing
