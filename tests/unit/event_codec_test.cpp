// The journal's record format: every event round-trips, whatever bytes its text holds, and
// the bytes are those checked in (tests/golden), so that journals already written stay readable.
#include <gtest/gtest.h>

#include "adapters/pipeline/event_codec.hpp"
#include "tests/golden/journal_events_golden.hpp"

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
    auto alto = sample("alto");
    alto.language = "es";
    alto.scope = "channel";
    const std::vector<consent_event> events{sample("START"), sample("stop"), alto};
    EXPECT_EQ(decode_events(encode_events(events)), events);
}

// language and scope came after the golden bytes: an event without them is written as before
// (EncodesTheGoldenBytes), one with them adds the two keys last.
TEST(EventCodec, LanguageAndScopeAreWrittenOnlyWhenKnown) {
    auto alto = sample("alto");
    EXPECT_EQ(encode_events({alto}).find("language"), std::string::npos);
    alto.language = "es";
    alto.scope = "all";
    EXPECT_TRUE(encode_events({alto}).ends_with(R"("import":true,"language":"es","scope":"all"}])"))
        << encode_events({alto});
    auto damaged = encode_events({alto});
    damaged.replace(damaged.find(R"("es")"), 4, "7");
    EXPECT_EQ(decode_events(damaged), std::nullopt);
}

TEST(EventCodec, InvalidUtf8InAProviderTextStillDecodes) {
    // A record that does not decode would be a journaled STOP that never reaches Redis.
    const std::vector<consent_event> events{sample("STOP \xC3"), sample("\xFF\xFE stop")};
    EXPECT_EQ(decode_events(encode_events(events)), events);
}

// A round trip passes whatever the keys are called; these two do not. A failure here means
// every journal on disk would no longer decode: change the format only with a new version.
TEST(EventCodec, EncodesTheGoldenBytes) {
    const auto bytes = encode_events(testing::golden_journal_events());
    EXPECT_EQ(testing::to_hex(bytes), testing::golden_journal_events_hex) << "as text: " << bytes;
}

TEST(EventCodec, DecodesTheGoldenBytesWrittenByEarlierVersions) {
    EXPECT_EQ(decode_events(testing::from_hex(testing::golden_journal_events_hex)),
              testing::golden_journal_events());
}

TEST(EventCodec, DamagedRecordsAreRefused) {
    EXPECT_EQ(decode_events("not json"), std::nullopt);
    EXPECT_EQ(decode_events("[{\"address\":\"+16515550100\"}]"), std::nullopt);
    EXPECT_EQ(decode_events("{}"), std::nullopt);
}

}  // namespace
}  // namespace optgate
