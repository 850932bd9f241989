// The event pipeline with a real journal and a real redis-server (SPEC rule 5): journaled
// before acknowledgement, applied in the background, through an outage, and replayed at
// start-up exactly once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "adapters/pipeline/data_loss_watch.hpp"
#include "adapters/pipeline/event_codec.hpp"
#include "adapters/pipeline/event_pipeline.hpp"
#include "tests/integration/journal_test_support.hpp"
#include "tests/integration/redis_test_support.hpp"

namespace optgate::testing {
namespace {

constexpr epoch_ms t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

class redis_event_pipeline_test : public redis_suite {
  protected:
    void TearDown() override {
        if (watch_) watch_->stop();
        if (pipeline_) pipeline_->stop();
        if (connection_) connection_->stop();
        io_.join();
        watch_.reset();
        pipeline_.reset();  // it refers to the journal and the store
        journal_.reset();
    }

    void open_the_journal() {
        journal_options options;
        options.dir = journal_dir_.path() / "journal";
        journal_ = open_journal(options);
        ASSERT_TRUE(journal_);
    }

    // A pipeline on the open journal and a store on Redis at `port`; started. With
    // `watch_for_data_loss`, a data_loss_watch verifies Redis every 100 ms and on reconnects.
    void start_pipeline(std::uint16_t port, bool watch_for_data_loss = false,
                        std::size_t max_batch_bytes = pipeline_options{}.max_batch_bytes) {
        if (!connection_) {
            connection_ = make_connection(io_.executor(), port);
            store_ = std::make_unique<consent_store>(connection_, connection_, prefix_);
        }
        pipeline_options options;
        options.retry_min = 20ms;
        options.retry_max = 200ms;
        options.max_batch_bytes = max_batch_bytes;
        pipeline_ = event_pipeline::create(io_.executor(), *journal_, *store_, options);
        if (watch_for_data_loss) {
            watch_ = data_loss_watch::create(io_.executor(), *store_, *pipeline_,
                                             journal_dir_.path(), 100ms);
            watch_->start();
        }
        pipeline_->start();
    }

    // Stops the pipeline and waits until its strand has nothing left to do with the journal.
    void stop_pipeline() {
        pipeline_->stop();
        // when_applied after stop() answers at once on the strand: a barrier behind stop().
        const auto r = when_applied(std::numeric_limits<std::uint64_t>::max(), 5000ms);
        EXPECT_EQ(r, std::optional<std::vector<event_outcome>>{}) << "stopped: nothing to wait for";
        pipeline_.reset();
    }

    std::uint64_t submit(const std::vector<consent_event>& events) {
        auto promise = std::make_shared<std::promise<std::pair<std::error_code, std::uint64_t>>>();
        auto future = promise->get_future();
        pipeline_->submit(events, [promise](std::error_code ec, std::uint64_t, std::uint64_t seq) {
            promise->set_value({ec, seq});
        });
        const auto r = wait_for_result(future);
        if (!r) return 0;
        EXPECT_FALSE(r->first) << r->first.message();
        EXPECT_GT(r->second, 0u);
        return r->second;
    }

    // The outcomes when_applied's handler got (nullopt: timed out), or a failed test if it
    // never came.
    std::optional<std::vector<event_outcome>> when_applied(std::uint64_t seq,
                                                           std::chrono::milliseconds timeout) {
        auto promise = std::make_shared<std::promise<std::optional<std::vector<event_result>>>>();
        auto future = promise->get_future();
        pipeline_->when_applied(
            seq, timeout, [promise](auto results) { promise->set_value(std::move(results)); });
        const auto results =
            wait_for_result(future, timeout + handler_deadline).value_or(std::nullopt);
        if (!results) return std::nullopt;
        return outcomes_of(*results);
    }

    std::string stored_record_json(redis_server& redis, const consent_event& e) const {
        return redis
            .command({"HGET", keys_.records(e.address),
                      consent_keys::record_field(e.channel, e.program)})
            .str;
    }

    // Four events in three journal records (the second is a STOPALL: two programs, one id).
    static std::vector<std::vector<consent_event>> replay_records() {
        const std::string a = "+16515550101", b = "+16515550102";
        auto stop_all = sms_event(b, "district", consent_state::opted_out, t0 + 1, "SMall");
        auto stop_all_emergency = stop_all;
        stop_all_emergency.program = "emergency";
        return {{sms_event(a, "district", consent_state::opted_out, t0, "SM1")},
                {stop_all, stop_all_emergency},
                {sms_event(a, "district", consent_state::opted_in, t0 + 2, "SM2")}};
    }

    // Journals the records with no pipeline running, as a daemon that crashed before
    // applying them would have left them; returns the last seq.
    std::uint64_t journal_without_applying(const std::vector<std::vector<consent_event>>& records) {
        std::uint64_t last = 0;
        for (const auto& events : records) {
            const auto r = append_and_wait(*journal_, {encode_events(events)});
            EXPECT_FALSE(r.ec) << r.ec.message();
            last = r.first_seq;
        }
        return last;
    }

    temp_dir journal_dir_{"pipeline"};
    std::unique_ptr<journal> journal_;
    std::shared_ptr<redis_connection> connection_;
    std::unique_ptr<consent_store> store_;
    std::shared_ptr<event_pipeline> pipeline_;
    std::shared_ptr<data_loss_watch> watch_;
};

TEST_F(redis_event_pipeline_test, SubmittedEventsAreJournaledThenAppliedToRedis) {
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(server().port());
    ASSERT_TRUE(wait_connected(*connection_));
    const auto e = sms_event("+16515550100", "district", consent_state::opted_out, t0, "SM1");
    auto emergency = e;
    emergency.program = "emergency";

    const auto seq = submit({e, emergency});
    ASSERT_EQ(seq, 1u);
    EXPECT_GE(journal_->durable_seq(), seq) << "acknowledged only once durable";
    EXPECT_EQ(when_applied(seq, 5000ms),
              (std::vector{event_outcome::applied, event_outcome::applied}));
    EXPECT_EQ(pipeline_->applied_seq(), seq);
    const auto record = parse_record_json(stored_record_json(server(), e));
    ASSERT_TRUE(record);
    EXPECT_EQ(*record, (consent_record{consent_state::opted_out, t0, "twilio-sms", "SMSM1", ""}));
    EXPECT_EQ(list_length(keys_.audit(e.address)), 2);

    // The same event again (a provider's retry) is journaled again and applied as a duplicate.
    const auto again = submit({e});
    EXPECT_EQ(again, seq + 1);
    EXPECT_EQ(when_applied(again, 5000ms), (std::vector{event_outcome::duplicate}));
    EXPECT_EQ(list_length(keys_.audit(e.address)), 2);
}

// A request's events are one journal group: records of at most 500 events, durable together,
// one answer naming the first and the last, and the last's application is the whole request's.
TEST_F(redis_event_pipeline_test, ARequestsEventsAreOneGroupOfRecords) {
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(server().port());
    ASSERT_TRUE(wait_connected(*connection_));
    std::vector<consent_event> events;
    for (int i = 0; i < 1200; ++i)
        events.push_back(sms_event("+1651555" + std::to_string(1000 + i), "district",
                                   consent_state::opted_out, t0, "SM" + std::to_string(i)));
    auto promise = std::make_shared<std::promise<std::pair<std::uint64_t, std::uint64_t>>>();
    int answers = 0;
    pipeline_->submit(
        events, [promise, &answers](std::error_code ec, std::uint64_t first, std::uint64_t last) {
            EXPECT_FALSE(ec) << ec.message();
            if (++answers == 1) promise->set_value({first, last});
        });
    auto future = promise->get_future();
    const auto range = wait_for_result(future);
    ASSERT_TRUE(range);
    EXPECT_EQ(range->first, 1u);
    EXPECT_EQ(range->second, 3u);  // 500 + 500 + 200
    EXPECT_EQ(journal_->durable_seq(), 3u);
    ASSERT_TRUE(when_applied(range->second, 5000ms));
    for (const auto& e : {events.front(), events[500], events.back()})
        EXPECT_FALSE(stored_record_json(server(), e).empty()) << e.address;
    EXPECT_EQ(answers, 1);
}

TEST_F(redis_event_pipeline_test, WhileRedisIsDownEventsAreJournaledAndAppliedOnceItIsBack) {
    redis_server own;
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(own.port());
    ASSERT_TRUE(wait_connected(*connection_));
    own.stop();
    ASSERT_TRUE(wait_connected(*connection_, false));

    const auto e = sms_event("+16515550100", "district", consent_state::opted_out, t0, "SM1");
    const auto seq = submit({e});
    ASSERT_GT(seq, 0u) << "the journal acknowledges without Redis";
    EXPECT_EQ(when_applied(seq, 300ms), std::nullopt) << "cannot be applied while Redis is down";
    EXPECT_LT(pipeline_->applied_seq(), seq);

    own.start();
    EXPECT_TRUE(wait_until([&] { return !stored_record_json(own, e).empty(); }, 10s))
        << "the pipeline must retry by itself once Redis is back";
    EXPECT_EQ(when_applied(seq, 5000ms), (std::vector{event_outcome::applied}));
    EXPECT_EQ(own.command({"LLEN", keys_.audit(e.address)}).integer, 1) << "applied exactly once";
    EXPECT_EQ(own.command({"ZCARD", keys_.audit_index()}).integer, 1);
}

// A backlog is applied in batches bounded by journal bytes (here one record each): every
// record once, in order, whatever the limit.
TEST_F(redis_event_pipeline_test, ABacklogIsAppliedInBatchesBoundedByBytes) {
    redis_server own;
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(own.port(), false, 1);
    ASSERT_TRUE(wait_connected(*connection_));
    own.stop();
    ASSERT_TRUE(wait_connected(*connection_, false));
    std::vector<consent_event> events;
    std::uint64_t last = 0;
    for (int i = 0; i < 12; ++i) {
        const auto state = i % 2 == 0 ? consent_state::opted_out : consent_state::opted_in;
        events.push_back(
            sms_event("+16515550100", "district", state, t0 + i * 1000, "SM" + std::to_string(i)));
        last = submit(
            {events.back(), sms_event("+1651555020" + std::to_string(i % 10), "district",
                                      consent_state::opted_out, t0, "SMx" + std::to_string(i))});
    }
    own.start();
    EXPECT_TRUE(when_applied(last, 10000ms).has_value());
    EXPECT_EQ(own.command({"LLEN", keys_.audit("+16515550100")}).integer, 12);
    EXPECT_NE(stored_record_json(own, events.back()).find("opted_in"), std::string::npos)
        << "the last of the family's changes is the one that holds";
}

// SPEC rule 5: Redis loses acknowledged writes (restarted empty, flushed, a failover to a
// replica that never got them). The data_loss_watch notices and the journal is applied again.
TEST_F(redis_event_pipeline_test, ReappliesTheJournalWhenRedisComesBackWithoutItsWrites) {
    redis_server own;
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(own.port(), true);
    ASSERT_TRUE(wait_connected(*connection_));
    // The first verification of this empty Redis applies the (empty) journal: a record
    // submitted meanwhile would be applied twice, by it and by the pipeline.
    ASSERT_TRUE(wait_until([&] { return pipeline_->answering(); }, 10s));
    const auto e = sms_event("+16515550100", "district", consent_state::opted_out, t0, "SM1");
    const auto seq = submit({e});
    ASSERT_EQ(when_applied(seq, 5000ms), (std::vector{event_outcome::applied}));

    // A failover to a replica without the write: the data is gone, the connection is new.
    ASSERT_EQ(own.command({"FLUSHALL"}).str, "OK");
    own.command({"CLIENT", "KILL", "TYPE", "normal"});
    EXPECT_TRUE(wait_until([&] { return !stored_record_json(own, e).empty(); }, 5s))
        << "an acknowledged STOP that Redis lost is never applied again";
    EXPECT_TRUE(wait_until([&] { return pipeline_->answering(); }, 5s));
    EXPECT_EQ(own.command({"LLEN", keys_.audit(e.address)}).integer, 1) << "audited exactly once";
}

TEST_F(redis_event_pipeline_test, AFlushWithoutReconnectIsNoticedToo) {
    redis_server own;
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(own.port(), true);
    ASSERT_TRUE(wait_connected(*connection_));
    // The first verification of this empty Redis applies the (empty) journal: a record
    // submitted meanwhile would be applied twice, by it and by the pipeline.
    ASSERT_TRUE(wait_until([&] { return pipeline_->answering(); }, 10s));
    const auto e = sms_event("+16515550101", "district", consent_state::opted_out, t0, "SM2");
    ASSERT_EQ(when_applied(submit({e}), 5000ms), (std::vector{event_outcome::applied}));
    ASSERT_EQ(own.command({"FLUSHALL"}).str, "OK");
    EXPECT_TRUE(wait_until([&] { return !stored_record_json(own, e).empty(); }, 5s));
    EXPECT_EQ(own.command({"LLEN", keys_.audit(e.address)}).integer, 1);
}

// Under Sentinel a demoted master keeps answering the reads connection with what it had:
// reads from another server than the writes are held, whatever else checks out, and the
// reads connection is made to connect again.
TEST_F(redis_event_pipeline_test, AReadsConnectionOnAnotherServerThanTheWritesHoldsAnswers) {
    redis_server other;
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    connection_ = make_connection(io_.executor(), server().port());
    auto reads = make_connection(io_.executor(), other.port());
    store_ = std::make_unique<consent_store>(connection_, reads, prefix_);
    start_pipeline(server().port(), true);
    ASSERT_TRUE(wait_connected(*connection_));
    ASSERT_TRUE(wait_connected(*reads));
    EXPECT_TRUE(wait_until(
        [&] { return pipeline_->hold_reason().find("another Redis server") != std::string::npos; },
        5s))
        << pipeline_->hold_reason();
    EXPECT_FALSE(pipeline_->answering());
    EXPECT_EQ(when_applied(0, 300ms), std::nullopt) << "a check must not be answered";
    reads->stop();
}

TEST_F(redis_event_pipeline_test, AnswersAreHeldUntilAReconnectedRedisIsVerified) {
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(server().port(), true);
    ASSERT_TRUE(wait_connected(*connection_));
    // Nothing journaled, and still a check must not be answered before the first verification.
    EXPECT_TRUE(wait_until([&] { return pipeline_->answering(); }, 5s));
    EXPECT_EQ(when_applied(0, 1000ms), std::vector<event_outcome>{});
}

TEST_F(redis_event_pipeline_test, StartUpReplaysWhatTheJournalHoldsBeyondItsAppliedCursor) {
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    const auto records = replay_records();
    const auto last = journal_without_applying(records);
    ASSERT_EQ(last, 3u);
    journal_.reset();  // closed, as by a crash after the fdatasync

    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    EXPECT_EQ(journal_->applied_seq(), 0u);
    start_pipeline(server().port());
    EXPECT_TRUE(wait_until([&] { return journal_->applied_seq() == last; }, 10s))
        << "applied_seq stayed at " << journal_->applied_seq();
    EXPECT_EQ(when_applied(1, 1000ms), (std::vector{event_outcome::applied}));
    EXPECT_EQ(when_applied(2, 1000ms),
              (std::vector{event_outcome::applied, event_outcome::applied}));
    EXPECT_EQ(when_applied(3, 1000ms), (std::vector{event_outcome::applied}));

    const auto& a_in = records[2][0];
    EXPECT_EQ(parse_record_json(stored_record_json(server(), a_in)),
              (consent_record{consent_state::opted_in, t0 + 2, "twilio-sms", "SMSM2", ""}));
    EXPECT_EQ(parse_record_json(stored_record_json(server(), records[1][1]))->state,
              consent_state::opted_out);
    EXPECT_EQ(list_length(keys_.audit("+16515550101")), 2);
    EXPECT_EQ(list_length(keys_.audit("+16515550102")), 2);

    // The cursor is persisted: closing writes it to dir/applied.
    stop_pipeline();
    journal_.reset();
    std::ifstream cursor(journal_dir_.path() / "journal" / "applied");
    std::string text;
    std::getline(cursor, text);
    EXPECT_EQ(text, "3");
}

TEST_F(redis_event_pipeline_test, ReplayingTheSameJournalAgainChangesNothing) {
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    const auto records = replay_records();
    const auto last = journal_without_applying(records);
    start_pipeline(server().port());
    ASSERT_TRUE(wait_until([&] { return journal_->applied_seq() == last; }, 10s));
    stop_pipeline();
    journal_.reset();

    auto snapshot = [&] {
        std::vector<std::string> state;
        for (const auto* address : {"+16515550101", "+16515550102"}) {
            state.push_back(std::to_string(list_length(keys_.audit(address))));
            for (const auto& item : server().command({"HGETALL", keys_.records(address)}).elements)
                state.push_back(item.str);
        }
        state.push_back(std::to_string(server().command({"ZCARD", keys_.audit_index()}).integer));
        return state;
    };
    const auto before = snapshot();
    ASSERT_EQ(before.front(), "2");

    // As if the applied cursor were lost (or Redis had failed over to a replica that had
    // everything): the whole journal is applied again.
    ASSERT_TRUE(std::filesystem::remove(journal_dir_.path() / "journal" / "applied"));
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    ASSERT_EQ(journal_->applied_seq(), 0u);
    start_pipeline(server().port());
    ASSERT_TRUE(wait_until([&] { return journal_->applied_seq() == last; }, 10s));
    EXPECT_EQ(when_applied(1, 1000ms), (std::vector{event_outcome::duplicate}));
    EXPECT_EQ(when_applied(2, 1000ms),
              (std::vector{event_outcome::duplicate, event_outcome::duplicate}));
    EXPECT_EQ(when_applied(3, 1000ms), (std::vector{event_outcome::duplicate}));
    EXPECT_EQ(snapshot(), before);
    // Records applied by an earlier process are no redeliveries: a later replay applies them.
    stop_pipeline();
    EXPECT_EQ(std::filesystem::file_size(journal_dir_.path() / "journal" / "redeliveries"), 0u);
}

// Two instances, Redis lost everything. Another instance applied a START (its journal holds
// it); this one then a STOP, then Twilio's redelivery of that START (retried, received after
// the STOP: dated later), a duplicate. Replayed before the other instance's first delivery,
// the redelivery would be new to the emptied Redis and outrank the STOP: it is skipped, the
// pipeline remembering (beside the journal) that it was a redelivery when first applied.
TEST_F(redis_event_pipeline_test, AReplayNeverAppliesARedeliveryAsNew) {
    redis_server own;
    ASSERT_NO_FATAL_FAILURE(open_the_journal());
    start_pipeline(own.port(), true);
    ASSERT_TRUE(wait_connected(*connection_));
    // The first verification of this empty Redis applies the (empty) journal: a record
    // submitted meanwhile would be applied twice, by it and by the pipeline.
    ASSERT_TRUE(wait_until([&] { return pipeline_->answering(); }, 10s));
    const std::string family = "+16515550103";
    const auto start = sms_event(family, "district", consent_state::opted_in, t0, "SMstart");
    const auto stop = sms_event(family, "district", consent_state::opted_out, t0 + 1000, "SMstop");
    auto redelivery = start;
    redelivery.event_time = redelivery.received_time = t0 + 2000;
    auto other_instance_applies = [&](std::size_t replays) {
        auto done = std::make_shared<std::promise<std::error_code>>();
        auto future = done->get_future();
        store_->apply({start}, replays, [done](std::error_code ec, std::vector<event_result>) {
            done->set_value(ec);
        });
        ASSERT_EQ(wait_for_result(future), std::optional{std::error_code{}});
    };
    ASSERT_NO_FATAL_FAILURE(other_instance_applies(0));
    ASSERT_EQ(when_applied(submit({stop}), 5000ms), (std::vector{event_outcome::applied}));
    ASSERT_EQ(when_applied(submit({redelivery}), 5000ms), (std::vector{event_outcome::duplicate}));

    ASSERT_EQ(own.command({"FLUSHALL"}).str, "OK");
    ASSERT_TRUE(wait_until([&] { return !stored_record_json(own, stop).empty(); }, 5s));
    ASSERT_TRUE(wait_until([&] { return pipeline_->answering(); }, 5s));
    EXPECT_EQ(parse_record_json(stored_record_json(own, stop))->state, consent_state::opted_out);
    ASSERT_NO_FATAL_FAILURE(other_instance_applies(1));  // its replay, later
    EXPECT_EQ(parse_record_json(stored_record_json(own, stop))->state, consent_state::opted_out);
}

}  // namespace
}  // namespace optgate::testing
