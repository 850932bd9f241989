// The consent store's reads against a real redis-server: pipelined record reads in input
// order, an address's records and history, and paging through the audit index.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <set>

#include "core/store_error.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

constexpr epoch_ms t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
const std::string phone = "+16515550100";

class redis_consent_reads_test : public store_suite {
  protected:
    // What a check reads: `program`'s records and which of `others` each address left.
    checked_records read_checked(channel c, const std::string& program,
                                 std::vector<std::string> others,
                                 std::vector<std::string> addresses) {
        auto promise =
            std::make_shared<std::promise<std::pair<std::error_code, checked_records>>>();
        auto future = promise->get_future();
        store_->read_records(c, program, std::move(others),
                             std::make_shared<const std::vector<std::string>>(std::move(addresses)),
                             [promise](std::error_code ec, checked_records read) {
                                 promise->set_value({ec, std::move(read)});
                             });
        auto r = wait_for_result(future, 30000ms);
        if (!r) return {};
        EXPECT_FALSE(r->first) << r->first.message();
        return std::move(r->second);
    }

    std::vector<std::optional<consent_record>> read_records(channel c, const std::string& program,
                                                            std::vector<std::string> addresses) {
        return read_checked(c, program, {}, std::move(addresses)).records;
    }

    address_consent read_address(const std::string& address) {
        auto promise = std::make_shared<std::promise<address_consent>>();
        auto future = promise->get_future();
        store_->read_address(address, [promise](std::error_code ec, auto consent) {
            EXPECT_FALSE(ec) << ec.message();
            promise->set_value(std::move(consent));
        });
        return wait_for_result(future).value_or(address_consent{});
    }

    struct audit_page {
        std::vector<audit_entry> entries;
        std::optional<audit_cursor> next;
    };
    audit_page read_audit(epoch_ms since, epoch_ms until, audit_cursor from, std::size_t limit) {
        auto promise = std::make_shared<std::promise<audit_page>>();
        auto future = promise->get_future();
        store_->read_audit(since, until, from, limit,
                           [promise](std::error_code ec, auto entries, auto next) {
                               EXPECT_FALSE(ec) << ec.message();
                               promise->set_value({std::move(entries), next});
                           });
        return wait_for_result(future).value_or(audit_page{});
    }
};

TEST_F(redis_consent_reads_test, ReadRecordsAnswersEveryAddressInInputOrder) {
    const std::string a = "+16515550101", b = "+16515550102", c = "+16515550103";
    ASSERT_EQ(apply_one(sms_event(a, "district", consent_state::opted_out, t0, "SM1")),
              event_outcome::applied);
    ASSERT_EQ(apply_one(sms_event(c, "emergency", consent_state::opted_out, t0, "SM2")),
              event_outcome::applied);
    const auto records = read_records(channel::sms, "district", {b, a, c, a});
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[0], std::nullopt);
    EXPECT_EQ(records[1],
              (consent_record{consent_state::opted_out, t0, "twilio-sms", "SMSM1", ""}));
    EXPECT_EQ(records[2], std::nullopt) << "another program's record is not this one";
    EXPECT_EQ(records[3], records[1]);
    EXPECT_EQ(read_records(channel::voice, "district", {a}).at(0), std::nullopt);
    EXPECT_TRUE(read_records(channel::sms, "district", {}).empty());
}

// An emergency check reads the other programs' records in the same HMGET: which of them each
// address opted out of.
TEST_F(redis_consent_reads_test, ReadRecordsSaysWhichOtherProgramsEachAddressOptedOutOf) {
    const std::string a = "+16515550101", b = "+16515550102", c = "+16515550103";
    ASSERT_EQ(apply_one(sms_event(a, "district", consent_state::opted_out, t0, "SM1")),
              event_outcome::applied);
    ASSERT_EQ(apply_one(sms_event(b, "district", consent_state::opted_in, t0, "SM2")),
              event_outcome::applied);
    ASSERT_EQ(apply_one(sms_event(b, "sports", consent_state::opted_out, t0, "SM3")),
              event_outcome::applied);
    ASSERT_EQ(apply_one(sms_event(c, "emergency", consent_state::opted_out, t0, "SM4")),
              event_outcome::applied);
    // Another program's record that does not read is left out, and fails nothing.
    server().command({"HSET", keys_.records(c), "sms/sports", "not a record"});
    const auto read = read_checked(channel::sms, "emergency", {"district", "sports"}, {a, b, c});
    ASSERT_EQ(read.records.size(), 3u);
    EXPECT_EQ(read.records[0], std::nullopt);
    EXPECT_EQ(read.records[1], std::nullopt);
    ASSERT_TRUE(read.records[2]);
    EXPECT_EQ(read.records[2]->state, consent_state::opted_out);
    EXPECT_EQ(read.others_opted_out, (std::vector<std::uint32_t>{0b01, 0b10, 0b00}));
}

// A read starts on the caller's thread and its chunk answers on the connection's strand,
// possibly before the caller's thread has left read_records: many small reads make that race.
TEST_F(redis_consent_reads_test, ReadRecordsCallsItsHandlerExactlyOnce) {
    constexpr int reads = 500;
    struct tally {
        std::array<std::atomic<int>, reads> calls{};
        std::atomic<int> total{0};
    };
    auto t = std::make_shared<tally>();
    auto addresses = std::make_shared<const std::vector<std::string>>(1, phone);
    for (int i = 0; i < reads; ++i)
        store_->read_records(channel::sms, "district", {}, addresses,
                             [t, i](std::error_code, auto) {
                                 ++t->calls[i];
                                 ++t->total;
                             });
    ASSERT_TRUE(wait_until([&] { return t->total >= reads; }, handler_deadline));
    ASSERT_FALSE(execute_and_wait(*connection_, {{"PING"}}).ec);  // behind every chunk
    EXPECT_EQ(t->total.load(), reads);
    for (int i = 0; i < reads; ++i) EXPECT_EQ(t->calls[i].load(), 1) << "read " << i;
}

// With the marker required, records are read only over a verified connection: after a
// reconnect (to any server: a restarted or failed-over one may hold an old copy, marker and
// all) reads fail until a verification names the new connection.
TEST_F(redis_consent_reads_test, WithTheMarkerRequiredOnlyAVerifiedConnectionIsReadFrom) {
    store_->require_complete_marker("instance-1", {});
    server().command({"SET", keys_.complete_marker("instance-1"), "run-id"});
    const auto read_error = [&] {
        auto promise = std::make_shared<std::promise<std::error_code>>();
        auto future = promise->get_future();
        store_->read_records(channel::sms, "district", {},
                             std::make_shared<const std::vector<std::string>>(1, phone),
                             [promise](std::error_code ec, auto) { promise->set_value(ec); });
        return wait_for_result(future).value_or(std::make_error_code(std::errc::timed_out));
    };
    const auto address_error = [&] {
        auto promise = std::make_shared<std::promise<std::error_code>>();
        auto future = promise->get_future();
        store_->read_address(phone,
                             [promise](std::error_code ec, auto) { promise->set_value(ec); });
        return wait_for_result(future).value_or(std::make_error_code(std::errc::timed_out));
    };
    EXPECT_EQ(read_error(), store_error::reconnected) << "read before any verification";
    store_->reads_verified(connection_->connections());
    EXPECT_FALSE(read_error());
    EXPECT_FALSE(address_error());

    const auto before = connection_->connections();
    server().command({"CLIENT", "KILL", "TYPE", "normal"});
    ASSERT_TRUE(wait_until([&] { return connection_->connections() > before; }, 10000ms));
    ASSERT_TRUE(wait_connected(*connection_));
    EXPECT_EQ(read_error(), store_error::reconnected);
    EXPECT_EQ(address_error(), store_error::reconnected);
    store_->reads_verified(connection_->connections());
    EXPECT_FALSE(read_error());
    store_->reads_unverified();  // a hold
    EXPECT_EQ(read_error(), store_error::reconnected);
}

TEST_F(redis_consent_reads_test, ReadsAHundredThousandAddressesPipelinedInOrder) {
    constexpr int n = 100'000;
    auto address = [](int i) {
        const auto digits = std::to_string(i);
        return "+1651" + std::string(7 - digits.size(), '0') + digits;
    };
    // Every even address gets a record, written straight in the stored JSON format, a few
    // thousand HSETs per pipelined batch.
    const std::string field = consent_keys::record_field(channel::sms, "district");
    std::vector<redis_connection::command> batch;
    for (int i = 0; i < n; i += 2) {
        const char* state = i % 4 == 0 ? "opted_out" : "opted_in";
        batch.push_back({"HSET", keys_.records(address(i)), field,
                         std::string(R"({"state":")") + state + R"(","at":)" +
                             std::to_string(t0 + i) + R"(,"source":"import","ref":"row-)" +
                             std::to_string(i) + R"("})"});
        if (batch.size() == 5000 || i + 2 >= n) {
            const auto r = execute_and_wait(*connection_, std::move(batch), 10000ms);
            ASSERT_FALSE(r.ec) << r.ec.message();
            batch.clear();
        }
    }
    std::vector<std::string> addresses;
    addresses.reserve(n);
    for (int i = 0; i < n; ++i) addresses.push_back(address(i));

    const auto records = read_records(channel::sms, "district", std::move(addresses));
    ASSERT_EQ(records.size(), std::size_t(n));
    int wrong = 0;
    for (int i = 0; i < n && wrong < 10; ++i) {
        std::optional<consent_record> expected;
        if (i % 2 == 0)
            expected =
                consent_record{i % 4 == 0 ? consent_state::opted_out : consent_state::opted_in,
                               t0 + i, "import", "row-" + std::to_string(i), ""};
        if (records[i] != expected) {
            ++wrong;
            ADD_FAILURE() << "address " << i << " has the wrong result";
        }
    }
}

TEST_F(redis_consent_reads_test, ReadAddressGivesEveryRecordAndTheHistoryNewestFirst) {
    ASSERT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_out, t0, "h1")),
              event_outcome::applied);
    ASSERT_EQ(apply_one(sms_event(phone, "emergency", consent_state::opted_out, t0, "h2")),
              event_outcome::applied);
    auto email = sms_event(phone, "district", consent_state::opted_out, t0 + 3000, "h3");
    email.channel = channel::email;
    ASSERT_EQ(apply_one(email), event_outcome::applied);
    ASSERT_EQ(apply_one(sms_event(phone, "district", consent_state::opted_in, t0 + 2000, "h4")),
              event_outcome::applied);
    ASSERT_EQ(apply_one(sms_event("+16515550199", "district", consent_state::opted_out, t0, "x")),
              event_outcome::applied);  // another address: not in this one's answer

    auto consent = read_address(phone);
    std::sort(consent.records.begin(), consent.records.end(), [](const auto& l, const auto& r) {
        return std::pair(l.channel, l.program) < std::pair(r.channel, r.program);
    });
    ASSERT_EQ(consent.records.size(), 3u);
    EXPECT_EQ(consent.records[0].channel, channel::sms);
    EXPECT_EQ(consent.records[0].program, "district");
    EXPECT_EQ(consent.records[0].record,
              (consent_record{consent_state::opted_in, t0 + 2000, "twilio-sms", "SMh4", ""}));
    EXPECT_EQ(consent.records[1].channel, channel::sms);
    EXPECT_EQ(consent.records[1].program, "emergency");
    EXPECT_EQ(consent.records[2].channel, channel::email);
    EXPECT_EQ(consent.records[2].record.event_time, t0 + 3000);
    std::vector<std::string> order;
    for (const auto& e : consent.history) order.push_back(e.dedupe_key);
    EXPECT_EQ(order, (std::vector<std::string>{"h4", "h3", "h2", "h1"}));

    const auto nobody = read_address("+16515550000");
    EXPECT_TRUE(nobody.records.empty());
    EXPECT_TRUE(nobody.history.empty());
}

TEST_F(redis_consent_reads_test, ReadAuditPagesThroughEveryEntryOnceInReceivedOrder) {
    // 1,200 entries received at the same millisecond (the first page ends inside them), 100
    // at distinct times, then 1,200 more sharing a time (the second page ends inside them).
    std::vector<consent_event> events;
    for (int i = 0; i < 2500; ++i) {
        const epoch_ms received = i < 1200 ? t0 : i < 1300 ? t0 + (i - 1199) : t0 + 200;
        auto e = sms_event("+1651555" + std::to_string(1000 + i), "district",
                           consent_state::opted_out, t0 - 1000, "a" + std::to_string(i));
        e.received_time = received;
        events.push_back(std::move(e));
    }
    for (std::size_t begin = 0; begin < events.size(); begin += 500) {
        const auto r = apply({events.begin() + begin, events.begin() + begin + 500});
        ASSERT_FALSE(r.ec) << r.ec.message();
        const auto outcomes = r.outcomes();
        ASSERT_EQ(std::count(outcomes.begin(), outcomes.end(), event_outcome::applied), 500);
    }

    std::vector<std::size_t> page_sizes;
    std::vector<audit_entry> all;
    audit_cursor cursor;
    for (int page = 0; page < 10; ++page) {
        auto p = read_audit(t0 - 10'000, t0 + 10'000, cursor, 1000);
        page_sizes.push_back(p.entries.size());
        all.insert(all.end(), p.entries.begin(), p.entries.end());
        if (!p.next) break;
        cursor = *p.next;
    }
    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{1000, 1000, 500}));
    std::set<std::string> keys;
    for (const auto& e : all) keys.insert(e.dedupe_key);
    EXPECT_EQ(all.size(), 2500u);
    EXPECT_EQ(keys.size(), 2500u) << "an entry came twice, so another is missing";
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& l, const auto& r) {
        return l.received_time < r.received_time;
    }));

    const auto range = read_audit(t0 + 1, t0 + 100, {}, 1000);
    EXPECT_EQ(range.entries.size(), 100u) << "since and until are inclusive";
    EXPECT_EQ(range.next, std::nullopt);
}

}  // namespace
}  // namespace optgate::testing
