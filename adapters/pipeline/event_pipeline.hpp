// Where every consent event goes: into the journal (durable before any acknowledgement),
// then into Redis in journal order, exactly once, and again after any restart (SPEC rule 5).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "adapters/journal/journal.hpp"
#include "adapters/journal/journal_reader.hpp"
#include "adapters/metrics/metric_families.hpp"
#include "adapters/pipeline/answer_gate.hpp"
#include "adapters/pipeline/applied_waiters.hpp"
#include "adapters/pipeline/redelivery_log.hpp"
#include "adapters/redis/consent_store.hpp"
#include "core/consent_ports.hpp"

namespace optgate {

struct pipeline_options {
    std::size_t records_per_batch = 256;
    // Journal bytes per batch sent to Redis, at most (a record larger than this goes alone):
    // what bounds a batch's events, so that a backlog of SendGrid batches of 500 events each
    // cannot make one batch outlast the store's deadline and be retried forever.
    std::size_t max_batch_bytes = 256 * 1024;
    std::chrono::milliseconds retry_min{100};
    std::chrono::milliseconds retry_max{5000};
    std::size_t remembered_outcomes = 4096;       // recent records whose outcomes a waiter may ask
    std::chrono::minutes retention_interval{60};  // how often expired segments are removed
};

// Threads: public methods may be called from any thread. Applying happens on this object's
// strand, and every handler is invoked on it.
class event_pipeline : public consent_writer, public std::enable_shared_from_this<event_pipeline> {
  public:
    static std::shared_ptr<event_pipeline> create(boost::asio::any_io_executor executor,
                                                  journal& journal, consent_store& store,
                                                  pipeline_options options = {});

    void start();  // applies whatever the journal holds beyond its applied cursor, then follows
    void stop();

    // consent_writer: a submit is one journal record (fdatasync'd, group commit), applied to
    // Redis in journal order.
    void submit(const std::vector<consent_event>& events, submit_handler handler) override;
    void when_applied(std::uint64_t seq, std::chrono::milliseconds timeout,
                      applied_handler handler) override;
    bool journal_writable() const override {
        return journal_writable_.load(std::memory_order_relaxed);
    }
    std::uint64_t durable_seq() const override { return journal_.durable_seq(); }
    std::uint64_t applied_seq() const override { return journal_.applied_seq(); }
    std::uint64_t journal_size_bytes() const override { return journal_.size_bytes(); }
    std::uint64_t journal_syncs() const override { return journal_.syncs(); }

    // Redis lost data (restart without persistence, flush, failover to a replica that missed
    // writes): applies every record the journal retains again, from its first, idempotently.
    // Until that is done, when_applied() answers no one, so checks fail closed. `done` runs on
    // the strand when the replay has reached what was applied before it began.
    void reapply_retained(std::string reason, std::function<void()> done);

    // With verification required (call before start), every (re)connect of Redis holds
    // answers until mark_verified(): Redis may have lost data, and a check must not read it
    // before that is ruled out or repaired (see data_loss_watch).
    void require_verification() { gate_.require_verification(); }
    void mark_verified();
    // Holds answers as an unverified Redis does, for a reason that /readyz shows (a Redis
    // that may evict keys, a reads connection on another server), until mark_verified().
    void hold_answers(std::string reason);
    // Why answers are held, when hold_answers() said; empty otherwise.
    std::string hold_reason() const override;
    // False while answers are held: verifying Redis, or applying the journal again.
    bool answering() const override { return answering_flag_.load(std::memory_order_relaxed); }

    // optgate_events_total{source,kind,outcome}: every application's outcome as Redis
    // returned it. A record applied again (restart before the cursor was saved, or a replay
    // after data loss) counts again, usually as "duplicate".
    const counter_family& event_counts() const { return event_counts_; }

  private:
    event_pipeline(boost::asio::any_io_executor executor, journal& journal, consent_store& store,
                   pipeline_options options);

    struct pending_record {
        std::uint64_t seq;
        std::vector<consent_event> events;
    };

    void pump();
    void on_applied(std::error_code ec, std::vector<event_result> outcomes);
    void resolve_waiters();
    // After each change of the gate: what other threads read of it, and the waits it frees.
    void gate_changed();
    bool replaying(std::uint64_t seq) const { return gate_.replaying() && seq <= replay_until_; }
    void begin_replay();
    void finish_replay_if_done(bool reader_caught_up);

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    journal& journal_;
    consent_store& store_;
    pipeline_options options_;
    std::optional<journal_reader> reader_;
    std::vector<pending_record> batch_;  // read from the journal, not yet applied
    std::vector<bool> batch_skipped_;    // per event of batch_: a known redelivery, not replayed
    redelivery_log redeliveries_;
    bool applying_ = false;
    bool stopping_ = false;
    bool reported_failure_ = false;
    std::uint64_t applied_ = 0;
    // Replay after data loss: requested while a batch was in flight, then running until the
    // reader is past `replay_until_` (what was applied before it began).
    std::optional<std::pair<std::string, std::function<void()>>> replay_request_;
    std::function<void()> replay_done_;
    std::uint64_t replay_until_ = 0;
    answer_gate gate_;
    std::atomic<bool> answering_flag_{true};
    mutable std::mutex hold_reason_mutex_;
    std::string hold_reason_;
    std::atomic<bool> journal_writable_{true};
    std::chrono::steady_clock::time_point last_retention_{};
    std::chrono::milliseconds retry_delay_;
    boost::asio::steady_timer retry_timer_;
    applied_waiters waiters_;
    counter_family event_counts_{"optgate_events_total",
                                 "Consent events applied to Redis, by source, kind and outcome.",
                                 {"source", "kind", "outcome"}};
};

}  // namespace optgate
