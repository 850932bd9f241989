// Reading back what Redis holds: the golden record and audit entry JSON the apply script wrote
// (tests/golden, held to the script by tests/integration/stored_consent_golden_test.cpp) decode
// to every field of their events, so a key the decoder renames fails here.
#include <gtest/gtest.h>

#include "adapters/redis/consent_codec.hpp"
#include "tests/golden/stored_consent_golden.hpp"

namespace optgate {
namespace {

using namespace optgate::testing;

TEST(ConsentCodec, DecodesTheGoldenRecords) {
    EXPECT_EQ(parse_record_json(golden_record_after_stop_json),
              (consent_record{consent_state::opted_out, golden_t0, "twilio-sms", "SM0001", ""}));
    EXPECT_EQ(
        parse_record_json(golden_record_after_start_json),
        (consent_record{consent_state::opted_in, golden_t0 + 60'000, "admin", "call-4711", ""}));
    EXPECT_EQ(parse_record_json(golden_record_after_replayed_stop_json),
              (consent_record{consent_state::opted_out, golden_t0, "twilio-sms", "SM0001", "",
                              std::string(golden_replaying_journal)}));
}

TEST(ConsentCodec, DecodesEveryFieldOfTheGoldenStopAuditEntry) {
    const auto stop = golden_stop_event();
    const auto a = parse_audit_json(golden_stop_audit_json);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->address, stop.address);
    EXPECT_EQ(a->channel, stop.channel);
    EXPECT_EQ(a->program, stop.program);
    EXPECT_EQ(a->from, std::nullopt) << "no record before it";
    EXPECT_EQ(a->to, consent_state::opted_out);
    EXPECT_EQ(a->outcome, event_outcome::applied);
    EXPECT_EQ(a->event_time, stop.event_time);
    EXPECT_EQ(a->received_time, stop.received_time);
    EXPECT_EQ(a->stated_time, std::nullopt) << "the stated time was the event time";
    EXPECT_EQ(a->source, stop.source);
    EXPECT_EQ(a->reference, stop.reference);
    EXPECT_EQ(a->dedupe_key, stop.dedupe_key);
    EXPECT_EQ(a->keyword, stop.keyword);
    EXPECT_EQ(a->match, stop.match);
    EXPECT_EQ(a->actor, "");
}

TEST(ConsentCodec, DecodesEveryFieldOfTheGoldenStartAuditEntry) {
    const auto start = golden_start_event();
    const auto a = parse_audit_json(golden_start_audit_json);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->address, start.address);
    EXPECT_EQ(a->channel, start.channel);
    EXPECT_EQ(a->program, start.program);
    EXPECT_EQ(a->from, consent_state::opted_out);
    EXPECT_EQ(a->to, consent_state::opted_in);
    EXPECT_EQ(a->outcome, event_outcome::applied);
    EXPECT_EQ(a->event_time, start.received_time) << "a time ahead of the receipt is the receipt";
    EXPECT_EQ(a->received_time, start.received_time);
    EXPECT_EQ(a->stated_time, start.event_time);
    EXPECT_EQ(a->source, start.source);
    EXPECT_EQ(a->reference, start.reference);
    EXPECT_EQ(a->dedupe_key, start.dedupe_key);
    EXPECT_EQ(a->keyword, "");
    EXPECT_EQ(a->match, "");
    EXPECT_EQ(a->actor, start.actor);
}

}  // namespace
}  // namespace optgate
