// Two instances on one Redis, one with its wall clock ten minutes wrong (libfaketime), as a
// district's second server with a broken NTP would be. Twilio's texts carry no time: each is
// dated when the instance that took it received it, by that instance's clock. Whichever
// instance is wrong, and whichever way, a family's STOP is never undone by a START it sent
// before: a STOP dated at its own receipt always applies (docs/how-it-works.md).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

using namespace std::chrono_literals;

class SkewedClocks : public e2e_test {
  protected:
    std::unique_ptr<daemon_process> start_skewed(std::chrono::seconds offset) const {
        auto daemon = std::make_unique<daemon_process>(
            default_test_config(redis().url(), key_prefix()), skewed_clock{offset});
        EXPECT_TRUE(daemon->wait_until_ready()) << daemon->log_text();
        return daemon;
    }

    // The family texts STOP, START, STOP, through the instances named: each text is dated by
    // the clock of the instance that took it. Both instances then deny the family. Each check
    // goes first to the instance that took the text: its answer waits until the text is in
    // Redis (another instance's would not wait for it).
    static void stop_start_stop(const daemon_process& first, const daemon_process& second,
                                const daemon_process& third, const std::string& family) {
        expect_twiml(send_sms(first, family, district_code, "STOP", message_sid(1)),
                     twiml_message(opt_out_reply));
        expect_twiml(send_sms(second, family, district_code, "START", message_sid(2)),
                     twiml_message(opt_in_reply));
        for (const auto* daemon : {&second, &first})
            EXPECT_EQ(value_of(check_one(*daemon, family), "allowed"), json::value(true));
        expect_twiml(send_sms(third, family, district_code, "STOP", message_sid(3)),
                     twiml_message(opt_out_reply));
        for (const auto* daemon : {&third, &first, &second})
            EXPECT_EQ(value_of(check_one(*daemon, family), "allowed"), json::value(false));

        // The last STOP applied, dated before the START it undid, at its own receipt. Every
        // instance's audit holds all three, whoever's clock stored them.
        for (const auto* daemon : {&first, &second, &third})
            EXPECT_EQ(audit_entries(*daemon).size(), 3u);
        const auto audit = audit_entries(first);
        const auto entry = [&](unsigned sid) {
            for (const auto& e : audit)
                if (text_of(e, "reference") == message_sid(sid)) return e;
            ADD_FAILURE() << "no audit entry of " << message_sid(sid);
            return json::object{};
        };
        const auto start = entry(2), stop = entry(3);
        EXPECT_EQ(text_of(stop, "outcome"), "applied");
        EXPECT_EQ(text_of(stop, "event_time"), text_of(stop, "received_time"));
        const auto start_at = parse_rfc3339(text_of(start, "event_time"));
        const auto stop_at = parse_rfc3339(text_of(stop, "event_time"));
        ASSERT_TRUE(start_at && stop_at);
        EXPECT_LT(*stop_at, *start_at - 9 * 60 * 1000) << "the clocks were not skewed";
    }
};

TEST_F(SkewedClocks, AStopThroughAnInstanceWhoseClockIsBehindUndoesAStartBefore) {
    const auto right = start_daemon();
    const auto behind = start_skewed(-10min);
    stop_start_stop(*right, *right, *behind, "+16515550171");
}

TEST_F(SkewedClocks, AStartThroughAnInstanceWhoseClockIsAheadDoesNotOutlastAStopAfter) {
    const auto right = start_daemon();
    const auto ahead = start_skewed(10min);
    stop_start_stop(*right, *ahead, *right, "+16515550172");
}

}  // namespace
}  // namespace optgate::testing
