// What the apply script writes into a real redis-server is the checked-in golden JSON
// (tests/golden/stored_consent_golden.hpp), key for key; the unit tests hold the decoder to
// the same JSON, so a key renamed on either side fails one of them.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <optional>

#include "tests/golden/stored_consent_golden.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

namespace json = boost::json;

std::optional<json::object> parsed_object(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

// Compared as objects: cjson writes a table's keys in its hash order, which no version of Redis
// promises to keep. Every key, every value and its JSON type must be the golden one.
void expect_golden_json(std::string_view stored, std::string_view golden) {
    const auto golden_object = parsed_object(golden);
    ASSERT_TRUE(golden_object) << "the golden is no JSON object: " << golden
                               << "\nstored: " << stored;
    EXPECT_EQ(parsed_object(stored), golden_object) << "stored: " << stored;
}

class stored_consent_golden_test : public store_suite {
  protected:
    std::string stored_record(const std::string& address) const {
        return server()
            .command({"HGET", keys_.records(address),
                      consent_keys::record_field(channel::sms, "district")})
            .str;
    }
    std::string stored_audit(const std::string& address, int index) const {
        return server().command({"LINDEX", keys_.audit(address), std::to_string(index)}).str;
    }
};

TEST_F(stored_consent_golden_test, TheScriptStoresTheGoldenRecordAndAuditJson) {
    const auto stop = golden_stop_event(), start = golden_start_event();
    ASSERT_EQ(apply_one(stop), event_outcome::applied);
    expect_golden_json(stored_record(stop.address), golden_record_after_stop_json);
    expect_golden_json(stored_audit(stop.address, 0), golden_stop_audit_json);

    ASSERT_EQ(apply_one(start), event_outcome::applied);
    expect_golden_json(stored_record(start.address), golden_record_after_start_json);
    expect_golden_json(stored_audit(start.address, 1), golden_start_audit_json);
}

TEST_F(stored_consent_golden_test, AReplayStoresTheGoldenRecordNamingItsJournal) {
    const auto stop = golden_stop_event();
    store_->replays_of(std::string(golden_replaying_journal));
    ASSERT_EQ(apply_one(stop, delivery::replay), event_outcome::applied);
    expect_golden_json(stored_record(stop.address), golden_record_after_replayed_stop_json);
    expect_golden_json(stored_audit(stop.address, 0), golden_stop_audit_json);
}

}  // namespace
}  // namespace optgate::testing
