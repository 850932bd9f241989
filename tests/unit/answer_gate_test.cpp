// When checks may be answered, without a Redis: only a verified Redis with no replay under
// way; every reconnect, hold and replay closes the gate until Redis is verified again.
#include "adapters/pipeline/answer_gate.hpp"

#include <gtest/gtest.h>

namespace optgate {
namespace {

TEST(AnswerGate, WithoutVerificationOnlyAReplayHoldsAnswers) {
    answer_gate gate;
    EXPECT_TRUE(gate.open());
    gate.connected();
    EXPECT_TRUE(gate.open());
    gate.replay_begun();
    EXPECT_FALSE(gate.open());
    gate.replay_done();
    EXPECT_TRUE(gate.open());
}

TEST(AnswerGate, EveryReconnectIsVerifiedBeforeAnswers) {
    answer_gate gate;
    gate.require_verification();
    EXPECT_FALSE(gate.open());
    gate.verified();
    EXPECT_TRUE(gate.open());
    gate.connected();
    EXPECT_FALSE(gate.open());
    gate.verified();
    EXPECT_TRUE(gate.open());
}

TEST(AnswerGate, AReplayHoldsUntilItIsDoneAndRedisIsVerifiedAgain) {
    answer_gate gate;
    gate.require_verification();
    gate.verified();
    gate.replay_begun();
    EXPECT_TRUE(gate.replaying());
    gate.verified();  // a verification during the replay does not open the gate
    EXPECT_FALSE(gate.open());
    gate.replay_done();
    gate.connected();
    EXPECT_FALSE(gate.open());
    gate.verified();
    EXPECT_TRUE(gate.open());
    EXPECT_FALSE(gate.replaying());
}

TEST(AnswerGate, AHoldSaysWhyUntilVerified) {
    answer_gate gate;
    gate.hold("Redis's maxmemory-policy is allkeys-lru");
    EXPECT_FALSE(gate.open());
    EXPECT_EQ(gate.reason(), "Redis's maxmemory-policy is allkeys-lru");
    gate.verified();
    EXPECT_TRUE(gate.open());
    EXPECT_TRUE(gate.reason().empty());
}

}  // namespace
}  // namespace optgate
