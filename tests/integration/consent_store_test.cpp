// The consent store against a real redis-server: the Lua apply (rules 2, 3, 4 and 7), the key
// layout, the script's reload; its reads are in consent_store_reads_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "adapters/redis/apply_script.hpp"
#include "core/digest.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

constexpr epoch_ms t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
const std::string phone = "+16515550100";

class redis_consent_store_test : public store_suite {
  protected:
    // The global index as (member, score) pairs.
    std::vector<std::pair<std::string, long long>> index_entries() const {
        const auto r = server().command({"ZRANGE", keys_.audit_index(), "0", "-1", "WITHSCORES"});
        std::vector<std::pair<std::string, long long>> out;
        for (std::size_t i = 0; i + 1 < r.elements.size(); i += 2)
            out.emplace_back(r.elements[i].str, std::stoll(r.elements[i + 1].str));
        return out;
    }
};

TEST_F(redis_consent_store_test, AppliedEventStoresItsRecordAuditEntryAndIndexEntry) {
    auto e = sms_event(phone, "district", consent_state::opted_out, t0, "SM1");
    e.keyword = "Stop please";
    e.match = "contained";
    ASSERT_EQ(apply_one(e), event_outcome::applied);

    EXPECT_EQ(stored_record(phone, channel::sms, "district"),
              (consent_record{consent_state::opted_out, t0, "twilio-sms", "SMSM1", ""}));
    const auto audit = stored_audit(phone);
    ASSERT_EQ(audit.size(), 1u);
    const auto& a = audit[0];
    EXPECT_EQ(a.address, phone);
    EXPECT_EQ(a.channel, channel::sms);
    EXPECT_EQ(a.program, "district");
    EXPECT_EQ(a.from, std::nullopt) << "no record before: the default applied";
    EXPECT_EQ(a.to, consent_state::opted_out);
    EXPECT_EQ(a.outcome, event_outcome::applied);
    EXPECT_EQ(a.event_time, t0);
    EXPECT_EQ(a.received_time, t0 + 500);
    EXPECT_EQ(a.source, "twilio-sms");
    EXPECT_EQ(a.reference, "SMSM1");
    EXPECT_EQ(a.dedupe_key, "SM1");
    EXPECT_EQ(a.keyword, "Stop please");
    EXPECT_EQ(a.match, "contained");
    EXPECT_EQ(a.actor, "");

    const auto index = index_entries();
    ASSERT_EQ(index.size(), 1u);
    EXPECT_EQ(index[0].second, t0 + 500) << "scored by received time";
    EXPECT_EQ(parse_audit_json(index[0].first).value().dedupe_key, "SM1");
    EXPECT_EQ(index[0].first, server().command({"LINDEX", keys_.audit(phone), "0"}).str);
}

TEST_F(redis_consent_store_test, SameDedupeKeyAgainIsDuplicateAndAuditedOnce) {
    const auto first = sms_event(phone, "district", consent_state::opted_out, t0, "SM1");
    ASSERT_EQ(apply_one(first), event_outcome::applied);
    // The provider's retry: same id, received later (and even claiming another state).
    auto retry = first;
    retry.received_time = t0 + 60'000;
    retry.state = consent_state::opted_in;
    retry.event_time = t0 + 1000;
    EXPECT_EQ(apply_one(retry), event_outcome::duplicate);

    EXPECT_EQ(list_length(keys_.audit(phone)), 1);
    EXPECT_EQ(stored_record(phone, channel::sms, "district")->state, consent_state::opted_out);
    const auto index = index_entries();
    ASSERT_EQ(index.size(), 1u);
    EXPECT_EQ(index[0].second, t0 + 500)
        << "the index keeps the entry at the time it was first received";
}

TEST_F(redis_consent_store_test, OlderEventIsSupersededAuditedAndChangesNothing) {
    ASSERT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_out, t0 + 2000, "SM2")),
              event_outcome::applied);
    EXPECT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_in, t0 + 1000, "SM1")),
              event_outcome::superseded);

    EXPECT_EQ(stored_record(phone, channel::sms, "district"),
              (consent_record{consent_state::opted_out, t0 + 2000, "twilio-sms", "SMSM2", ""}));
    const auto audit = stored_audit(phone);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(audit[1].outcome, event_outcome::superseded);
    EXPECT_EQ(audit[1].from, consent_state::opted_out);
    EXPECT_EQ(audit[1].to, consent_state::opted_in);
    EXPECT_EQ(audit[1].dedupe_key, "SM1");
    EXPECT_EQ(index_entries().size(), 2u);
}

TEST_F(redis_consent_store_test, AtEqualEventTimesTheOptOutStands) {
    ASSERT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_in, t0, "SM1")),
              event_outcome::applied);
    EXPECT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_out, t0, "SM2")),
              event_outcome::applied);
    EXPECT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_in, t0, "SM3")),
              event_outcome::superseded);
    EXPECT_EQ(stored_record(phone, channel::sms, "district"),
              (consent_record{consent_state::opted_out, t0, "twilio-sms", "SMSM2", ""}));
}

consent_event import_row(consent_state state, epoch_ms at, std::string dedupe) {
    auto e = sms_event(phone, "district", state, at, std::move(dedupe));
    e.source = "import";
    e.reference = "sis-nightly";
    e.keyword.clear();
    e.match.clear();
    e.bulk_import = true;
    return e;
}

TEST_F(redis_consent_store_test, BulkImportNeverReOptsInAnOptedOutRecord) {
    ASSERT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_out, t0, "SM1")),
              event_outcome::applied);
    EXPECT_EQ(apply_one(import_row(consent_state::opted_in, t0 + 86'400'000, "import-1")),
              event_outcome::refused);
    EXPECT_EQ(stored_record(phone, channel::sms, "district"),
              (consent_record{consent_state::opted_out, t0, "twilio-sms", "SMSM1", ""}));
    const auto audit = stored_audit(phone);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(audit[1].outcome, event_outcome::refused);
    EXPECT_EQ(audit[1].from, consent_state::opted_out);
    EXPECT_EQ(audit[1].to, consent_state::opted_in);
    // The family's own START still re-opts in.
    EXPECT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_in, t0 + 1, "SM2")),
              event_outcome::applied);
}

TEST_F(redis_consent_store_test, BulkImportCreatesRecordsAndCanOptOut) {
    EXPECT_EQ(apply_one(import_row(consent_state::opted_in, t0, "import-1")),
              event_outcome::applied);
    EXPECT_EQ(stored_record(phone, channel::sms, "district"),
              (consent_record{consent_state::opted_in, t0, "import", "sis-nightly", ""}));
    EXPECT_EQ(apply_one(import_row(consent_state::opted_out, t0 + 1, "import-2")),
              event_outcome::applied);
    EXPECT_EQ(stored_record(phone, channel::sms, "district")->state, consent_state::opted_out);
}

TEST_F(redis_consent_store_test, StopAllEventsShareADedupeKeyAndApplyToEveryProgram) {
    const auto district = sms_event(phone, "district", consent_state::opted_out, t0, "SMstopall");
    auto emergency = district;
    emergency.program = "emergency";
    const auto r = apply({district, emergency});
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.outcomes(), (std::vector{event_outcome::applied, event_outcome::applied}));
    EXPECT_EQ(stored_record(phone, channel::sms, "district")->state, consent_state::opted_out);
    EXPECT_EQ(stored_record(phone, channel::sms, "emergency")->state, consent_state::opted_out);
    EXPECT_EQ(list_length(keys_.audit(phone)), 2);
    // The same message delivered again is a duplicate for both programs.
    const auto again = apply({district, emergency});
    EXPECT_EQ(again.outcomes(), (std::vector{event_outcome::duplicate, event_outcome::duplicate}));
    EXPECT_EQ(list_length(keys_.audit(phone)), 2);
}

TEST_F(redis_consent_store_test, EachResultNamesTheStateTheRecordHadBefore) {
    const auto created = sms_event(phone, "district", consent_state::opted_in, t0, "SM1");
    const auto opted_out = sms_event(phone, "district", consent_state::opted_out, t0 + 1, "SM2");
    const auto older = sms_event(phone, "district", consent_state::opted_in, t0 - 1, "SM0");
    auto redelivered = created;  // a provider's retry, received a minute later
    redelivered.received_time += 60'000;
    const auto r = apply({created, opted_out, older, created, redelivered});
    ASSERT_FALSE(r.ec) << r.ec.message();
    // A duplicate says the state before its first delivery, and when that was received.
    EXPECT_EQ(r.results,
              (std::vector<event_result>{
                  {event_outcome::applied, std::nullopt, std::nullopt},  // there was no record
                  {event_outcome::applied, consent_state::opted_in, std::nullopt},  // changed
                  {event_outcome::superseded, consent_state::opted_out, std::nullopt},
                  {event_outcome::duplicate, std::nullopt, created.received_time},
                  {event_outcome::duplicate, std::nullopt, created.received_time}}));
}

TEST_F(redis_consent_store_test, EveryKeyOfAnAddressCarriesItAsHashTagAndTheFeedIsAStream) {
    ASSERT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_out, t0, "SM1")),
              event_outcome::applied);
    EXPECT_EQ(keys_.records(phone), prefix_ + "{+16515550100}:consent");
    EXPECT_EQ(keys_.audit(phone), prefix_ + "{+16515550100}:audit");
    EXPECT_EQ(keys_.seen(phone), prefix_ + "{+16515550100}:seen");
    EXPECT_EQ(keys_.audit_index(), prefix_ + "{audit}:by_received");
    EXPECT_EQ(keys_.changes(), prefix_ + "{changes}:stream");
    const auto keys = server().command({"KEYS", prefix_ + "*"});
    std::set<std::string> names;
    for (const auto& k : keys.elements) names.insert(k.str);
    EXPECT_EQ(names, (std::set<std::string>{
                         prefix_ + "{+16515550100}:consent", prefix_ + "{+16515550100}:audit",
                         prefix_ + "{+16515550100}:seen", prefix_ + "{audit}:by_received",
                         prefix_ + "{changes}:stream"}));
    EXPECT_EQ(server().command({"TYPE", keys_.changes()}).str, "stream");
    EXPECT_EQ(server().command({"TYPE", keys_.records(phone)}).str, "hash");
    EXPECT_EQ(server().command({"TYPE", keys_.audit(phone)}).str, "list");
    EXPECT_EQ(server().command({"TYPE", keys_.seen(phone)}).str, "hash");
    EXPECT_EQ(server().command({"HKEYS", keys_.seen(phone)}).elements.at(0).str,
              "sms/district/SM1");
}

// The feed's retention is counted on Redis's clock, which dates the stream's ids: events
// received by a clock a month ahead (optgate's, skewed) trim nothing recent. (Redis trims a
// stream by whole nodes of 100 entries: 250 changes would lose at least 200.)
TEST_F(redis_consent_store_test, AClockAheadNeverTrimsTheChangeFeed) {
    const epoch_ms month_ahead =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(24 * 30))
            .count();
    std::vector<consent_event> events;
    for (int i = 0; i < 250; ++i)
        events.push_back(sms_event("+1651555" + std::to_string(1000 + i), "district",
                                   consent_state::opted_out, month_ahead + i,
                                   "SM" + std::to_string(i)));
    const auto r = apply(events);
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(server().command({"XLEN", keys_.changes()}).integer, 250);
}

TEST_F(redis_consent_store_test, ApplyLoadsTheScriptAgainAfterScriptFlush) {
    ASSERT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_out, t0, "SM1")),
              event_outcome::applied);
    const std::string sha = to_hex(sha1(apply_script));
    ASSERT_EQ(server().command({"SCRIPT", "FLUSH"}).str, "OK");
    ASSERT_EQ(server().command({"SCRIPT", "EXISTS", sha}).elements.at(0).integer, 0);

    const auto r = apply({sms_event(phone, "district", consent_state::opted_in, t0 + 1, "SM2"),
                          sms_event(phone, "emergency", consent_state::opted_out, t0, "SM3")});
    ASSERT_FALSE(r.ec) << r.ec.message();
    EXPECT_EQ(r.outcomes(), (std::vector{event_outcome::applied, event_outcome::applied}));
    EXPECT_EQ(server().command({"SCRIPT", "EXISTS", sha}).elements.at(0).integer, 1);
    EXPECT_EQ(stored_record(phone, channel::sms, "district")->state, consent_state::opted_in);
    EXPECT_EQ(list_length(keys_.audit(phone)), 3);
}

TEST_F(redis_consent_store_test, ApplyWithoutRedisFailsAndWritesNothing) {
    auto down = make_connection(io_.executor(), free_loopback_port());
    consent_store store(down, down, prefix_);
    auto promise = std::make_shared<std::promise<std::error_code>>();
    auto future = promise->get_future();
    store.apply({sms_event(phone, "district", consent_state::opted_out, t0, "SM1")}, 0,
                [promise](std::error_code ec, auto) { promise->set_value(ec); });
    EXPECT_EQ(wait_for_result(future), make_error_code(redis_error::not_connected));
    EXPECT_FALSE(store.available());
    down->stop();
    EXPECT_EQ(server().command({"EXISTS", keys_.records(phone)}).integer, 0);
}

// The journal-complete marker: written before a replay, named after the server once the replay
// is done, and never made anew by that second write: a flush in between leaves no marker, and
// the next verification replays again.
TEST_F(redis_consent_store_test, AFlushDuringAReplayLeavesNoMarker) {
    const auto write = [&](auto&& call) {
        auto done = std::make_shared<std::promise<std::error_code>>();
        auto future = done->get_future();
        call([done](std::error_code ec) { done->set_value(ec); });
        EXPECT_EQ(wait_for_result(future), std::optional{std::error_code{}});
    };
    const auto marker = keys_.complete_marker("0123456789abcdef");
    write([&](auto h) { store_->write_replaying_marker("0123456789abcdef", h); });
    EXPECT_EQ(server().command({"GET", marker}).str, "replaying");
    ASSERT_EQ(server().command({"FLUSHALL"}).str, "OK");
    write([&](auto h) { store_->write_complete_marker("0123456789abcdef", "run-a", {}, h); });
    EXPECT_TRUE(server().command({"GET", marker}).is_nil()) << "a marker made anew";

    write([&](auto h) { store_->write_replaying_marker("0123456789abcdef", h); });
    write([&](auto h) {
        store_->write_complete_marker("0123456789abcdef", "run-a", {"fedcba9876543210"}, h);
    });
    EXPECT_EQ(server().command({"GET", marker}).str, "run-a");
    EXPECT_EQ(server().command({"SCARD", keys_.instances()}).integer, 2) << "itself and its peer";
}

}  // namespace
}  // namespace optgate::testing
