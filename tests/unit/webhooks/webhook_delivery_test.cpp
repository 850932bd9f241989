// One webhook's delivery loop over fakes: a feed in memory, a ledger with a lease, a receiver
// that answers as scripted, and a scheduler on a clock the test moves. What is sent (only the
// configured channels and programs, signed), when the cursor moves, the backoff and the lease
// kept alive during it, another instance's lease, and a gap.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <deque>
#include <map>

#include "adapters/webhooks/webhook_delivery.hpp"
#include "core/feed_cursor.hpp"
#include "core/webhook_signature.hpp"

namespace optgate {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using steady_time = std::chrono::steady_clock::time_point;

constexpr const char* secret = "0123456789abcdef0123456789abcdef";

// The feed: change i (from 1) has cursor "<i>-0"; the first `trimmed` are gone.
class fake_feed : public consent_reader {
  public:
    std::vector<audit_entry> changes;
    std::size_t trimmed = 0;

    bool available() const override { return true; }
    void read_records(channel, std::string, std::vector<std::string>,
                      std::shared_ptr<const std::vector<std::string>>, records_handler) override {}
    void read_address(const std::string&, address_handler) override {}
    void read_audit(epoch_ms, epoch_ms, audit_cursor, std::size_t, audit_handler) override {}
    void read_feed(const std::string& after, std::size_t limit, feed_handler handler) override {
        feed_page page;
        page.next = after;
        std::size_t from = after == "0" ? trimmed : parse_feed_cursor(after).value().first;
        if (from < trimmed) {
            page.gone = true;
            return handler({}, page);
        }
        for (std::size_t n = from + 1; n <= changes.size() && page.changes.size() < limit; ++n)
            page.changes.push_back({std::to_string(n) + "-0", changes[n - 1]});
        if (!page.changes.empty()) page.next = page.changes.back().cursor;
        handler({}, page);
    }
};

class fake_ledger : public webhook_ledger {
  public:
    std::string holder;  // of the lease ("" none)
    webhook_state state;
    std::size_t claims = 0;
    bool lose_lease_on_delivery = false;
    // Claims wait here, unanswered, until the test runs them (as Redis would, later).
    bool defer_claims = false;
    std::vector<std::function<void()>> deferred;

    void claim(const std::string& webhook, const std::string& instance,
               const std::string& fingerprint, std::chrono::milliseconds lease,
               claim_handler handler) override {
        if (defer_claims)
            return deferred.push_back([=, this] {
                defer_claims = false;
                claim(webhook, instance, fingerprint, lease, handler);
            });
        ++claims;
        if (holder.empty()) holder = instance;
        if (holder == instance) state.fingerprint = fingerprint;
        auto s = state;
        s.holder = holder;
        handler({}, holder == instance, s);
    }
    void record_delivery(const std::string&, const std::string& instance, const std::string& cursor,
                         epoch_ms at, record_handler handler) override {
        if (lose_lease_on_delivery) holder = "other";
        if (holder != instance) return handler({}, false);
        state.cursor = cursor;
        if (at) state.delivered_at = at;
        state.failures = 0;
        handler({}, true);
    }
    void record_failure(const std::string&, const std::string& instance, const std::string& error,
                        epoch_ms at, record_handler handler) override {
        if (holder != instance) return handler({}, false);
        state.last_error = error;
        state.last_error_at = at;
        ++state.failures;
        handler({}, true);
    }
    void release(const std::string&, const std::string& instance,
                 release_handler handler) override {
        if (holder != instance) return handler({}, false);
        holder.clear();
        handler({}, true);
    }
    void read_states(const std::vector<std::string>&, states_handler) override {}
};

struct posted {
    https_request request;
    json::object body;
};

class WebhookDelivery : public ::testing::Test {
  protected:
    fake_feed feed_;
    fake_ledger ledger_;
    std::vector<posted> posts_;
    std::deque<int> answers_;  // statuses to answer, in order; 200 once empty
    steady_time clock_{};
    std::multimap<steady_time, std::function<void()>> timers_;
    std::vector<std::chrono::milliseconds> delays_;
    std::shared_ptr<webhook_delivery> loop_;
    bool answering_ = true;  // the store's answers are not held
    // POSTs wait here, unanswered, until the test answers them (a receiver holding its answer).
    bool hold_answers_ = false;
    std::vector<https_poster::handler> unanswered_;

    static audit_entry change(channel c, const std::string& program, const std::string& address) {
        audit_entry e;
        e.address = address;
        e.channel = c;
        e.program = program;
        e.to = consent_state::opted_out;
        e.event_time = e.received_time = 1'767'225'600'000;
        e.source = "twilio";
        e.dedupe_key = "SM" + address;
        return e;
    }

    void start(std::size_t batch_size = 100) {
        webhook_settings hook;
        hook.name = "sis";
        hook.host = "sis.example";
        hook.port = "443";
        hook.target = "/in";
        hook.secret = secret;
        hook.channels = {channel::sms};
        hook.programs = {"district"};
        hook.batch_size = batch_size;
        webhook_delivery_parts parts{
            feed_,
            ledger_,
            [this](https_request r, https_poster::handler done) {
                if (hold_answers_) {
                    posts_.push_back({r, json::parse(r.body).as_object()});
                    return unanswered_.push_back(std::move(done));
                }
                const int status = answers_.empty() ? 200 : answers_.front();
                if (!answers_.empty()) answers_.pop_front();
                posts_.push_back({r, json::parse(r.body).as_object()});
                done({status, status == 0 ? "connect: Connection refused" : ""});
            },
            [this](std::chrono::milliseconds d, std::function<void()> fn) {
                delays_.push_back(d);
                timers_.emplace(clock_ + d, std::move(fn));
            },
            [] { return epoch_ms{1'767'225'660'000}; },
            "this:1:abcd",
            [this] { return clock_; }};
        parts.answering = [this] { return answering_; };
        webhook_timing timing;
        timing.lease = 20s;
        timing.retry = {10s, 5min};
        loop_ = std::make_shared<webhook_delivery>(hook, std::move(parts), timing);
        loop_->start();
    }

    // Runs what is due, moving the clock, until `until` has passed.
    void run_for(std::chrono::milliseconds span) {
        const auto end = clock_ + span;
        while (!timers_.empty() && timers_.begin()->first <= end) {
            auto next = timers_.begin();
            clock_ = next->first;
            auto fn = std::move(next->second);
            timers_.erase(next);
            fn();
        }
        clock_ = end;
    }
};

TEST_F(WebhookDelivery, PostsOnlyItsChannelsAndProgramsSignedAndMovesTheCursor) {
    feed_.changes = {change(channel::sms, "district", "+16515550101"),
                     change(channel::sms, "emergency", "+16515550102"),
                     change(channel::email, "district", "a@example.org"),
                     change(channel::sms, "district", "+16515550103")};
    start();
    run_for(1s);
    ASSERT_EQ(posts_.size(), 1u);
    const auto& body = posts_[0].body;
    EXPECT_EQ(body.at("webhook").as_string(), "sis");
    EXPECT_FALSE(body.at("gap").as_bool());
    const auto& changes = body.at("changes").as_array();
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].at("address").as_string(), "+16515550101");
    EXPECT_EQ(changes[1].at("address").as_string(), "+16515550103");
    EXPECT_EQ(changes[1].at("cursor").as_string(), "4-0");
    std::map<std::string, std::string> headers(posts_[0].request.headers.begin(),
                                               posts_[0].request.headers.end());
    EXPECT_EQ(headers.at("Optgate-Timestamp"), "1767225660");
    EXPECT_EQ(headers.at("Optgate-Signature"),
              webhook_signature(secret, "1767225660", posts_[0].request.body));
    EXPECT_EQ(headers.at("Optgate-Webhook"), "sis");
    EXPECT_EQ(ledger_.state.cursor, "4-0");
    EXPECT_EQ(ledger_.state.delivered_at, 1'767'225'660'000);
    const auto report = loop_->report();
    EXPECT_TRUE(report.delivering);
    EXPECT_EQ(report.batches_delivered, 1u);
    EXPECT_EQ(report.changes_delivered, 2u);
    // Caught up: it looks again, and sends nothing more.
    run_for(5s);
    EXPECT_EQ(posts_.size(), 1u);
}

TEST_F(WebhookDelivery, ChangesThatAreNotItsMoveTheCursorWithoutAPost) {
    feed_.changes = {change(channel::sms, "emergency", "+16515550102"),
                     change(channel::voice, "district", "+16515550104")};
    start();
    run_for(1s);
    EXPECT_TRUE(posts_.empty());
    EXPECT_EQ(ledger_.state.cursor, "2-0");
    EXPECT_EQ(ledger_.state.delivered_at, 0);
}

TEST_F(WebhookDelivery, BatchesFollowInFeedOrder) {
    for (int i = 0; i < 7; ++i)
        feed_.changes.push_back(
            change(channel::sms, "district", "+1651555020" + std::to_string(i)));
    start(3);
    run_for(1s);
    ASSERT_EQ(posts_.size(), 3u);
    std::vector<std::string> order;
    for (const auto& p : posts_)
        for (const auto& c : p.body.at("changes").as_array())
            order.emplace_back(c.at("address").as_string());
    ASSERT_EQ(order.size(), 7u);
    for (int i = 0; i < 7; ++i) EXPECT_EQ(order[i], "+1651555020" + std::to_string(i));
}

TEST_F(WebhookDelivery, AFailedBatchWaitsLongerEachTimeKeepingItsLeaseThenGoesAgain) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    answers_ = {500, 0, 503, 0};
    start();
    // Failures 1..4 wait at most 10, 20, 40 and 80 s (with jitter): within 200 s all four,
    // then the fifth attempt is taken.
    run_for(200s);
    ASSERT_EQ(posts_.size(), 5u);
    EXPECT_EQ(ledger_.state.cursor, "1-0");
    EXPECT_EQ(ledger_.state.last_error, "connect: Connection refused");
    EXPECT_EQ(ledger_.state.failures, 0u);
    EXPECT_EQ(loop_->report().batches_failed, 4u);
    EXPECT_EQ(loop_->report().failures, 0u);
    // While it waited it renewed the lease every quarter of it (5 s), never letting it lapse.
    for (const auto d : delays_) EXPECT_LE(d, 5001ms);
    EXPECT_GE(ledger_.claims, 200u / 5 - 5);
}

TEST_F(WebhookDelivery, FailuresAreReportedWhileTheyLast) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    answers_ = {500, 500, 500};
    start();
    run_for(1s);
    const auto report = loop_->report();
    EXPECT_EQ(report.failures, 1u);
    EXPECT_EQ(report.failing_since, 1'767'225'660'000);
    EXPECT_EQ(ledger_.state.last_error, "answered HTTP 500");
    EXPECT_EQ(ledger_.state.cursor, "");
}

TEST_F(WebhookDelivery, ARefusedSignatureSaysWhatToLookAt) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    answers_ = {401};
    start();
    run_for(1s);
    EXPECT_NE(ledger_.state.last_error.find("answered HTTP 401 (does the receiver have this "
                                            "webhook's secret"),
              std::string::npos)
        << ledger_.state.last_error;
}

TEST_F(WebhookDelivery, AnotherInstancesLeaseMeansThisOneSendsNothing) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    ledger_.holder = "other:2:ffff";
    start();
    run_for(60s);
    EXPECT_TRUE(posts_.empty());
    EXPECT_FALSE(loop_->report().delivering);
    // The lease lapses (its holder died): this instance takes over from the ledger's cursor.
    ledger_.holder.clear();
    run_for(10s);
    EXPECT_EQ(posts_.size(), 1u);
    EXPECT_TRUE(loop_->report().delivering);
}

TEST_F(WebhookDelivery, AnotherInstanceDeliveringWithAnotherConfigIsReported) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    ledger_.holder = "other:2:ffff";
    ledger_.state.fingerprint = "0123456789abcdef";  // another URL, channels or programs
    start();
    run_for(1s);
    EXPECT_TRUE(posts_.empty());
    EXPECT_TRUE(loop_->report().config_differs);
    // Once the other instance has the same config, or this one takes over, it is not.
    ledger_.holder.clear();
    run_for(10s);
    EXPECT_FALSE(loop_->report().config_differs);
    EXPECT_EQ(ledger_.state.fingerprint.size(), 16u);
    EXPECT_NE(ledger_.state.fingerprint, "0123456789abcdef");
}

TEST_F(WebhookDelivery, ALeaseLostDuringAPostLeavesTheCursorForTheNewHolder) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    ledger_.lose_lease_on_delivery = true;
    start();
    run_for(1s);
    EXPECT_EQ(posts_.size(), 1u);
    EXPECT_EQ(ledger_.state.cursor, "");  // the new holder sends it again: at least once
    EXPECT_FALSE(loop_->report().delivering);
}

TEST_F(WebhookDelivery, ACursorTheFeedNoLongerHasSendsAGapFromTheOldestKept) {
    for (int i = 0; i < 4; ++i)
        feed_.changes.push_back(
            change(channel::sms, "district", "+1651555030" + std::to_string(i)));
    ledger_.state.cursor = "1-0";
    feed_.trimmed = 2;
    start();
    run_for(1s);
    ASSERT_GE(posts_.size(), 1u);
    EXPECT_TRUE(posts_[0].body.at("gap").as_bool());
    const auto& changes = posts_[0].body.at("changes").as_array();
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].at("cursor").as_string(), "3-0");
    EXPECT_EQ(ledger_.state.cursor, "4-0");
    // Once told, the next batch is not a gap.
    feed_.changes.push_back(change(channel::sms, "district", "+16515550399"));
    run_for(1s);
    ASSERT_EQ(posts_.size(), 2u);
    EXPECT_FALSE(posts_[1].body.at("gap").as_bool());
}

TEST_F(WebhookDelivery, WhileTheStoresAnswersAreHeldItWaitsWithoutTheLease) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    answering_ = false;
    start();
    run_for(10s);
    EXPECT_TRUE(posts_.empty());
    EXPECT_EQ(ledger_.claims, 0u);
    EXPECT_TRUE(loop_->report().waiting);
    answering_ = true;
    run_for(2s);
    EXPECT_EQ(posts_.size(), 1u);
    EXPECT_FALSE(loop_->report().waiting);
}

TEST_F(WebhookDelivery, StoppedItSchedulesNothingMoreAndGivesItsLeaseUp) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    answers_ = {500};
    start();
    run_for(1s);
    ASSERT_EQ(ledger_.holder, "this:1:abcd");
    bool released = false;
    loop_->stop([&] { released = true; });
    EXPECT_TRUE(released);
    EXPECT_TRUE(ledger_.holder.empty());  // another instance's next claim takes it
    run_for(10min);
    EXPECT_EQ(posts_.size(), 1u);
    EXPECT_TRUE(timers_.empty());
}

// A claim sent just before the stop that Redis carries out after the release: the loop gives
// the lease up again and sends nothing.
TEST_F(WebhookDelivery, AClaimAnsweredAfterTheStopIsGivenUpAgain) {
    feed_.changes = {change(channel::sms, "district", "+16515550101")};
    ledger_.defer_claims = true;
    start();
    ASSERT_EQ(ledger_.deferred.size(), 1u);
    bool released = false;
    loop_->stop([&] { released = true; });
    EXPECT_TRUE(released);
    ledger_.deferred.front()();
    EXPECT_TRUE(ledger_.holder.empty());
    run_for(10min);
    EXPECT_TRUE(posts_.empty());
}

// The stop cuts a POST short (webhook_deliveries stops the poster after the loops), or the
// receiver answers after it: neither is counted, logged as a failure or recorded; the next
// holder sends the batch again.
TEST_F(WebhookDelivery, APostEndedAfterTheStopIsNeitherAFailureNorADelivery) {
    for (const int status : {0, 200}) {
        SCOPED_TRACE(status);
        feed_.changes = {change(channel::sms, "district", "+16515550101")};
        hold_answers_ = true;
        unanswered_.clear();
        ledger_.holder.clear();
        start();
        run_for(1s);
        ASSERT_EQ(unanswered_.size(), 1u);
        loop_->stop([] {});
        unanswered_.front()({status, status == 0 ? https_poster::stopped_error : ""});
        run_for(10min);
        const auto report = loop_->report();
        EXPECT_EQ(report.batches_failed, 0u);
        EXPECT_EQ(report.failures, 0u);
        EXPECT_EQ(report.batches_delivered, 0u);
        EXPECT_TRUE(ledger_.state.cursor.empty());
        EXPECT_TRUE(ledger_.state.last_error.empty());
        EXPECT_TRUE(timers_.empty());
    }
}

TEST_F(WebhookDelivery, StoppedItLeavesAnotherInstancesLeaseAlone) {
    ledger_.holder = "other:2:ef01";
    start();
    run_for(1s);
    bool released = false;
    loop_->stop([&] { released = true; });
    EXPECT_TRUE(released);
    EXPECT_EQ(ledger_.holder, "other:2:ef01");
}

}  // namespace
}  // namespace optgate
