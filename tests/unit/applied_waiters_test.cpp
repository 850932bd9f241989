// Read-your-writes without a Redis or a clock: a wait is answered once its record is applied,
// with that record's outcomes as first applied, in record order; a wait taken back (timed
// out) is never answered; a stop answers every wait with nothing.
#include "adapters/pipeline/applied_waiters.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

using outcomes = std::optional<std::vector<event_result>>;

const std::vector<event_result> applied{
    {event_outcome::applied, consent_state::opted_in, std::nullopt}};
const std::vector<event_result> duplicate{{event_outcome::duplicate, std::nullopt, 1000}};

// "none" (no outcomes: the wait failed), or how many outcomes the record had.
std::string count_of(const outcomes& o) {
    if (!o.has_value()) return "none";
    return std::to_string(o.value().size());
}

TEST(AppliedWaiters, AWaitIsAnsweredOnceItsRecordIsAppliedInRecordOrder) {
    applied_waiters waiters(16);
    std::vector<std::string> calls;
    waiters.wait(3, [&](outcomes o) { calls.push_back("3:" + count_of(o)); });
    waiters.wait(1, [&](outcomes o) { calls.push_back("1:" + count_of(o)); });
    waiters.wait(5, [&](outcomes) { calls.push_back("5"); });
    waiters.remember(1, applied);
    waiters.resolve(2);
    EXPECT_EQ(calls, (std::vector<std::string>{"1:1"}));
    waiters.resolve(4);
    EXPECT_EQ(calls, (std::vector<std::string>{"1:1", "3:0"}));  // 3 had no outcomes remembered
    EXPECT_EQ(waiters.waiting(), 1u);
}

TEST(AppliedWaiters, TheFirstApplicationsOutcomesAreRememberedNotAReplays) {
    applied_waiters waiters(2);
    waiters.remember(1, applied);
    waiters.remember(1, duplicate);  // the same record applied again (a replay)
    EXPECT_EQ(waiters.outcomes(1), applied);
    waiters.remember(2, applied);
    waiters.remember(3, applied);  // only the 2 most recent records are kept
    EXPECT_TRUE(waiters.outcomes(1).empty());
    EXPECT_EQ(waiters.outcomes(3), applied);
}

TEST(AppliedWaiters, AWaitTakenBackIsNeverAnsweredAndAStopAnswersTheRestWithNothing) {
    applied_waiters waiters(16);
    int answered = 0;
    std::vector<outcomes> failed;
    const auto timed_out = waiters.wait(1, [&](outcomes) { ++answered; });
    waiters.wait(2, [&](outcomes o) { failed.push_back(o); });
    ASSERT_TRUE(waiters.cancel(timed_out).has_value());
    EXPECT_FALSE(waiters.cancel(timed_out).has_value()) << "taken back once";
    waiters.resolve(1);
    EXPECT_EQ(answered, 0);
    waiters.fail_all();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_FALSE(failed[0].has_value());
    EXPECT_EQ(waiters.waiting(), 0u);
}

TEST(AppliedWaiters, AHandlerMayWaitAgain) {
    applied_waiters waiters(16);
    int second = 0;
    waiters.wait(1, [&](outcomes) { waiters.wait(9, [&](outcomes) { ++second; }); });
    waiters.resolve(1);
    EXPECT_EQ(second, 0);
    waiters.resolve(9);
    EXPECT_EQ(second, 1);
}

}  // namespace
}  // namespace optgate
