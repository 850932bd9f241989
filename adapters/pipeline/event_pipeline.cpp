#include "adapters/pipeline/event_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "adapters/pipeline/event_codec.hpp"
#include "adapters/redis/redis_error.hpp"

namespace optgate {

namespace asio = boost::asio;

namespace {

// An opt-in whose dedupe key another delivery, received at another time, set first: not this
// event itself applied before (a restart before the cursor was saved, a retried batch, whose
// first delivery is this one). Only opt-ins are skipped by a replay: a STOP replayed as new
// can at worst deny.
bool is_redelivered_opt_in(const consent_event& e, const event_result& result) {
    return e.state == consent_state::opted_in && result.outcome == event_outcome::duplicate &&
           result.first_received && *result.first_received != e.received_time;
}

}  // namespace

std::shared_ptr<event_pipeline> event_pipeline::create(asio::any_io_executor executor,
                                                       journal& journal, consent_store& store,
                                                       pipeline_options options) {
    return std::shared_ptr<event_pipeline>(
        new event_pipeline(std::move(executor), journal, store, options));
}

event_pipeline::event_pipeline(asio::any_io_executor executor, journal& journal,
                               consent_store& store, pipeline_options options)
    : strand_(asio::make_strand(executor)),
      journal_(journal),
      store_(store),
      options_(options),
      redeliveries_(journal.dir() / "redeliveries"),
      retry_delay_(options.retry_min),
      retry_timer_(strand_),
      waiters_(options.remembered_outcomes) {}

void event_pipeline::start() {
    answering_flag_ = gate_.open();
    // A Redis that comes back gets the backlog at once, not after the retry backoff.
    store_.add_writes_connected_handler([weak = weak_from_this()] {
        if (auto self = weak.lock())
            asio::post(self->strand_, [self] {
                self->gate_.connected();
                self->gate_changed();
                self->retry_delay_ = self->options_.retry_min;
                self->pump();
            });
    });
    asio::post(strand_, [self = shared_from_this()] {
        self->applied_ = self->journal_.applied_seq();
        self->reader_.emplace(self->journal_, self->applied_);
        if (self->journal_.durable_seq() > self->applied_)
            spdlog::info("journal: replaying records {}..{} into Redis", self->applied_ + 1,
                         self->journal_.durable_seq());
        self->pump();
    });
}

void event_pipeline::stop() {
    asio::post(strand_, [self = shared_from_this()] {
        self->stopping_ = true;
        self->retry_timer_.cancel();
        self->waiters_.fail_all();
    });
}

void event_pipeline::submit(const std::vector<consent_event>& events, submit_handler handler) {
    // A journal record holds at most 1 MiB; an encoded event is well under 1 KiB, so records
    // of this many events always fit, whatever a large SendGrid batch carries.
    constexpr std::size_t events_per_record = 500;
    std::vector<std::string> records;
    for (std::size_t first = 0; first < events.size(); first += events_per_record) {
        const auto last = std::min(events.size(), first + events_per_record);
        records.push_back(encode_events({events.begin() + first, events.begin() + last}));
    }
    if (records.empty())
        return asio::post(strand_, [seq = journal_.durable_seq(), handler = std::move(handler)] {
            handler({}, seq, seq);
        });
    const auto count = records.size();
    journal_.append(std::move(records), [self = shared_from_this(), count,
                                         handler = std::move(handler)](
                                            std::error_code ec, std::uint64_t first_seq) mutable {
        // On the journal's writer thread: hop to the strand, then wake the applier.
        self->journal_writable_.store(!ec, std::memory_order_relaxed);
        const std::uint64_t last_seq = ec ? 0 : first_seq + count - 1;
        asio::post(self->strand_, [self, ec, first_seq, last_seq, handler = std::move(handler)] {
            handler(ec, first_seq, last_seq);
            if (!ec) self->pump();
        });
    });
}

void event_pipeline::when_applied(std::uint64_t seq, std::chrono::milliseconds timeout,
                                  applied_handler handler) {
    asio::post(strand_, [self = shared_from_this(), seq, timeout, handler = std::move(handler)] {
        if (seq <= self->applied_ && self->gate_.open())
            return handler(self->waiters_.outcomes(seq));
        if (self->stopping_) return handler(std::nullopt);
        auto timer = std::make_shared<asio::steady_timer>(self->strand_, timeout);
        const auto ticket = self->waiters_.wait(seq, [timer, handler](auto outcomes) {
            timer->cancel();
            handler(std::move(outcomes));
        });
        timer->async_wait([self, ticket, timer](boost::system::error_code ec) {
            if (ec) return;
            if (auto timed_out = self->waiters_.cancel(ticket)) (*timed_out)(std::nullopt);
        });
    });
}

void event_pipeline::pump() {
    if (applying_ || stopping_ || !reader_) return;
    if (batch_.empty()) {
        std::error_code ec;
        auto records = reader_->next(options_.records_per_batch, ec, options_.max_batch_bytes);
        if (ec) {
            spdlog::error("journal: cannot read records after {}: {}", applied_, ec.message());
            return;  // the next submit or retry tries again
        }
        for (auto& r : records) {
            auto events = decode_events(r.bytes);
            if (!events)  // CRC-checked bytes that do not decode: a bug, never a guess
                spdlog::critical("journal: record {} does not decode; skipped", r.seq);
            batch_.push_back({r.seq, events ? std::move(*events) : std::vector<consent_event>{}});
        }
    }
    if (batch_.empty()) return finish_replay_if_done(true);
    std::vector<consent_event> events;
    std::size_t replays = 0;  // the events of records applied before a replay began
    batch_skipped_.clear();
    for (const auto& r : batch_) {
        const bool replay = replaying(r.seq);
        for (std::size_t i = 0; i < r.events.size(); ++i) {
            const bool skip = replay && redeliveries_.contains(r.seq, i);
            batch_skipped_.push_back(skip);
            if (skip) continue;
            events.push_back(r.events[i]);
            if (replay) replays = events.size();
        }
    }
    applying_ = true;
    // Posted, not called: a run of records that are all skipped must not recurse.
    if (events.empty())
        return asio::post(strand_, [self = shared_from_this()] { self->on_applied({}, {}); });
    store_.apply(std::move(events), replays,
                 [self = shared_from_this()](std::error_code ec, std::vector<event_result> o) {
                     asio::post(self->strand_, [self, ec, o = std::move(o)]() mutable {
                         self->on_applied(ec, std::move(o));
                     });
                 });
}

void event_pipeline::on_applied(std::error_code ec, std::vector<event_result> outcomes) {
    applying_ = false;
    if (replay_request_) return begin_replay();  // what was in flight is applied again anyway
    const auto sent_events = std::count(batch_skipped_.begin(), batch_skipped_.end(), false);
    if (!ec && outcomes.size() != static_cast<std::size_t>(sent_events))
        ec = redis_error::unexpected_reply;  // never guess which event an outcome is
    if (ec) {
        if (!reported_failure_)
            spdlog::warn(
                "journal: applying to Redis failed ({}); records stay journaled and are "
                "retried",
                ec.message());
        reported_failure_ = true;
        retry_timer_.expires_after(retry_delay_);
        retry_delay_ = std::min(retry_delay_ * 2, options_.retry_max);
        retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code e) {
            if (!e) self->pump();
        });
        return;
    }
    if (reported_failure_)
        spdlog::info("journal: Redis accepts records again (through record {})", batch_.back().seq);
    reported_failure_ = false;
    retry_delay_ = options_.retry_min;
    // A known redelivery skipped by a replay is what it was when first applied.
    std::vector<event_result> all;
    auto sent = outcomes.begin();
    for (const bool skipped : batch_skipped_)
        all.push_back(skipped ? event_result{event_outcome::duplicate, std::nullopt, std::nullopt}
                              : *sent++);
    std::size_t next = 0;
    for (const auto& r : batch_) {
        std::vector<event_result> mine(all.begin() + next, all.begin() + next + r.events.size());
        for (std::size_t i = 0; i < r.events.size(); ++i) {
            const auto& e = r.events[i];
            event_counts_.increment({e.source,
                                     e.state == consent_state::opted_out ? "opt_out" : "opt_in",
                                     std::string(to_string(mine[i].outcome))});
            if (!replaying(r.seq) && is_redelivered_opt_in(e, mine[i])) redeliveries_.add(r.seq, i);
        }
        next += r.events.size();
        // The first application tells what the event did; a replay of it says "duplicate".
        waiters_.remember(r.seq, std::move(mine));
    }
    redeliveries_.flush();
    const auto last = batch_.back().seq;
    applied_ = std::max(applied_, last);
    batch_.clear();
    journal_.mark_applied(applied_);
    if (gate_.replaying()) finish_replay_if_done(last >= replay_until_);
    resolve_waiters();
    if (const auto now = std::chrono::steady_clock::now();
        now - last_retention_ > options_.retention_interval) {
        last_retention_ = now;
        if (const auto e = journal_.remove_expired_segments())
            spdlog::warn("journal: cannot remove expired segments: {}", e.message());
        redeliveries_.forget_before(journal_.first_retained_seq());
    }
    pump();
}

void event_pipeline::reapply_retained(std::string reason, std::function<void()> done) {
    asio::post(strand_, [self = shared_from_this(), reason = std::move(reason),
                         done = std::move(done)]() mutable {
        self->replay_request_.emplace(std::move(reason), std::move(done));
        self->gate_.replay_begun();  // from now on no check is answered until it is done
        self->gate_changed();
        if (!self->applying_) self->begin_replay();
    });
}

void event_pipeline::begin_replay() {
    auto [reason, done] = std::move(*replay_request_);
    replay_request_.reset();
    replay_done_ = std::move(done);
    // A batch in flight (or failed) may have reached Redis: its records are replays too (a
    // replay of an event that was never applied is applied as it was live).
    replay_until_ = batch_.empty() ? applied_ : std::max(applied_, batch_.back().seq);
    batch_.clear();
    reader_.emplace(journal_, 0);
    retry_delay_ = options_.retry_min;
    spdlog::warn(
        "journal: {}; applying every retained record again (through {}) before "
        "answering checks",
        reason, replay_until_);
    pump();
}

void event_pipeline::finish_replay_if_done(bool reader_caught_up) {
    if (!gate_.replaying() || !reader_caught_up) return;
    gate_.replay_done();
    spdlog::info("journal: every retained record is applied again; checks are answered");
    if (auto done = std::move(replay_done_)) done();
    gate_changed();
}

void event_pipeline::hold_answers(std::string reason) {
    asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
        self->gate_.hold(std::move(reason));
        self->gate_changed();
    });
}

void event_pipeline::mark_verified() {
    asio::post(strand_, [self = shared_from_this()] {
        self->gate_.verified();
        self->gate_changed();
    });
}

std::string event_pipeline::hold_reason() const {
    std::lock_guard lock(hold_reason_mutex_);
    return hold_reason_;
}

void event_pipeline::gate_changed() {
    {
        std::lock_guard lock(hold_reason_mutex_);
        hold_reason_ = gate_.reason();
    }
    answering_flag_ = gate_.open();
    resolve_waiters();
}

void event_pipeline::resolve_waiters() {
    if (gate_.open()) waiters_.resolve(applied_);
}

}  // namespace optgate
