// The journal's record format: every event round-trips, whatever bytes its text holds.
#include <gtest/gtest.h>

#include "adapters/pipeline/event_codec.hpp"

namespace optgate {
namespace {

consent_event sample(std::string keyword) {
    consent_event e;
    e.address = "+16515550100";
    e.channel = channel::voice;
    e.program = "district";
    e.state = consent_state::opted_in;
    e.event_time = 1795341600000;
    e.received_time = 1795341600123;
    e.source = "import";
    e.reference = "ref-1";
    e.dedupe_key = "dedupe-1";
    e.keyword = std::move(keyword);
    e.match = "exact";
    e.actor = "office";
    e.bulk_import = true;
    return e;
}

TEST(EventCodec, EveryFieldRoundTrips) {
    const std::vector<consent_event> events{sample("START"), sample("stop")};
    EXPECT_EQ(decode_events(encode_events(events)), events);
}

TEST(EventCodec, InvalidUtf8InAProviderTextStillDecodes) {
    // A record that does not decode would be a journaled STOP that never reaches Redis.
    const std::vector<consent_event> events{sample("STOP \xC3"), sample("\xFF\xFE stop")};
    EXPECT_EQ(decode_events(encode_events(events)), events);
}

TEST(EventCodec, DamagedRecordsAreRefused) {
    EXPECT_EQ(decode_events("not json"), std::nullopt);
    EXPECT_EQ(decode_events("[{\"address\":\"+16515550100\"}]"), std::nullopt);
    EXPECT_EQ(decode_events("{}"), std::nullopt);
}

}  // namespace
}  // namespace optgate
