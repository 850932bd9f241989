#include "adapters/pipeline/data_loss_watch.hpp"

#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace optgate {

namespace asio = boost::asio;

std::shared_ptr<data_loss_watch> data_loss_watch::create(asio::any_io_executor executor,
                                                         consent_store& store,
                                                         event_pipeline& pipeline,
                                                         const std::filesystem::path& state_dir,
                                                         std::chrono::milliseconds interval) {
    return std::shared_ptr<data_loss_watch>(
        new data_loss_watch(std::move(executor), store, pipeline, state_dir, interval));
}

data_loss_watch::data_loss_watch(asio::any_io_executor executor, consent_store& store,
                                 event_pipeline& pipeline, const std::filesystem::path& state_dir,
                                 std::chrono::milliseconds interval)
    : strand_(asio::make_strand(executor)),
      store_(store),
      pipeline_(pipeline),
      files_(state_dir),
      instance_(files_.instance_id()),
      interval_(interval),
      timer_(strand_),
      memory_(files_.load(instance_)) {}

void data_loss_watch::start() {
    pipeline_.require_verification();
    const auto verify_soon = [weak = weak_from_this()] {
        if (auto self = weak.lock()) asio::post(self->strand_, [self] { self->verify(); });
    };
    store_.add_writes_connected_handler(verify_soon);
    store_.set_reads_connected_handler(verify_soon);
    // A read that finds the marker gone has already been refused; find out why at once.
    store_.require_complete_marker(instance_, verify_soon);
    store_.replays_of(instance_);
    asio::post(strand_, [self = shared_from_this()] { self->schedule(); });
}

void data_loss_watch::stop() {
    asio::post(strand_, [self = shared_from_this()] {
        self->stopping_ = true;
        self->timer_.cancel();
    });
}

void data_loss_watch::schedule() {
    if (stopping_) return;
    timer_.expires_after(interval_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec) return;
        self->verify();
        self->schedule();
    });
}

void data_loss_watch::verify() {
    if (stopping_) return;
    if (verifying_) {
        verify_again_ = true;  // a reconnect while a verification is under way: verify it too
        return;
    }
    verifying_ = true;
    // Every peer known, on disk or registered when last asked, has its marker read.
    std::set<std::string> asked = memory_.peers;
    asked.insert(registered_.begin(), registered_.end());
    asked.erase(instance_);
    store_.read_identity(
        instance_, std::vector<std::string>(asked.begin(), asked.end()),
        [self = shared_from_this()](std::error_code ec, consent_store::server_identity id) {
            asio::post(self->strand_, [self, ec, id = std::move(id)] {
                self->verifying_ = false;
                if (ec)
                    self->hold("Redis cannot be verified: " + ec.message());
                else
                    self->on_identity(id);
                if (std::exchange(self->verify_again_, false)) self->verify();
            });
        });
}

void data_loss_watch::on_identity(const consent_store::server_identity& id) {
    registered_.clear();
    registered_.insert(id.instances.begin(), id.instances.end());
    const auto verdict = judge_redis(id, memory_);
    const bool about_evictions = verdict.what == redis_verdict::kind::hold_evicted ||
                                 verdict.what == redis_verdict::kind::evictions_reviewed;
    if (!about_evictions && memory_.evictions_counted != id.evicted_keys) {
        memory_.evictions_counted = id.evicted_keys;  // lower after a restart or RESETSTAT
        files_.save_evictions(memory_);
    }
    switch (verdict.what) {
        case redis_verdict::kind::hold:
        case redis_verdict::kind::hold_for_peers:
            return hold(verdict.reason);
        case redis_verdict::kind::hold_may_evict:
        case redis_verdict::kind::hold_evicted:
            // What it evicts meanwhile is still gone once the policy is set right: the journal
            // is applied again then (forgotten on disk too, for a restart in between).
            memory_.may_have_evicted = true;
            forget_known_run_id();
            if (verdict.what == redis_verdict::kind::hold_evicted) {
                memory_.evictions_unreviewed = true;
                memory_.evictions_counted = id.evicted_keys;
                files_.save_evictions(memory_);
            }
            return hold(verdict.reason);
        case redis_verdict::kind::already_replaying:
            return;
        case redis_verdict::kind::reconnect_reads:
            store_.reconnect_reads("on another server than the writes (a demoted master?)");
            return hold(verdict.reason);
        case redis_verdict::kind::answer:
            if (!held_for_.empty()) spdlog::info("redis: checks are answered again");
            held_for_.clear();
            keep_registered(id);
            store_.reads_verified(id.reads_connection);
            return pipeline_.mark_verified();
        case redis_verdict::kind::evictions_reviewed:
            spdlog::warn("redis: {}", verdict.reason);
            memory_.evictions_unreviewed = false;
            memory_.evictions_counted = id.evicted_keys;
            memory_.review_consumed = id.evictions_review;
            files_.save_evictions(memory_);
            break;
        case redis_verdict::kind::replay:
            break;
    }
    memory_.replaying_for = id.run_id;
    memory_.may_have_evicted = false;
    store_.reads_unverified();
    // Forgotten first: a re-apply cut short by a crash must lead to another on the next start.
    forget_known_run_id();
    // Written before the records, on the same connection: a flush during or after the
    // re-apply removes it too, and the next verification notices. Where it is still there it
    // keeps naming the server this journal was last complete on: the other instances wait
    // for this replay only where that is not this server.
    store_.write_replaying_marker(instance_, [](std::error_code ec) {
        if (ec) spdlog::warn("redis: cannot write the journal-complete marker: {}", ec.message());
    });
    pipeline_.reapply_retained(verdict.reason, [self = shared_from_this(), run_id = id.run_id] {
        asio::post(self->strand_, [self, run_id] { self->on_replayed(run_id); });
    });
}

void data_loss_watch::forget_known_run_id() {
    if (memory_.known_run_id.empty()) return;
    memory_.known_run_id.clear();
    files_.save_run_id("");
}

void data_loss_watch::hold(const std::string& reason) {
    if (held_for_ != reason) spdlog::critical("redis: checks are not answered: {}", reason);
    held_for_ = reason;
    store_.reads_unverified();
    pipeline_.hold_answers(reason);
}

void data_loss_watch::on_replayed(const std::string& run_id) {
    memory_.replaying_for.clear();
    memory_.known_run_id = run_id;
    files_.save_run_id(run_id);
    // The peers known are registered again with this one: an instance started after a flush
    // learns whom to wait for from the registry.
    const std::vector<std::string> peers(memory_.peers.begin(), memory_.peers.end());
    store_.write_complete_marker(instance_, run_id, peers, [](std::error_code ec) {
        if (ec) spdlog::warn("redis: cannot write the journal-complete marker: {}", ec.message());
    });
    verify();  // answers resume once the marker is seen still in place, and every peer's
}

void data_loss_watch::keep_registered(const consent_store::server_identity& id) {
    if (id.marker != id.run_id || !registered_.contains(instance_))  // its last write failed
        store_.write_complete_marker(instance_, id.run_id, {}, [](std::error_code ec) {
            if (ec) spdlog::critical("redis: cannot register this instance: {}", ec.message());
        });
    // Every instance registered while Redis is complete is one to wait for after a loss (the
    // registry is lost with the rest, so it is kept on disk); one an operator forgot is not.
    std::set<std::string> peers;
    std::vector<std::string> forgotten;
    for (const auto& peer : registered_) {
        if (peer == instance_) continue;
        const auto marker = id.peer_markers.find(peer);
        if (marker != id.peer_markers.end() && marker->second == "forgotten")
            forgotten.push_back(peer);
        else
            peers.insert(peer);
    }
    if (!forgotten.empty())
        store_.unregister(forgotten, [](std::error_code ec) {
            if (ec) spdlog::warn("redis: cannot unregister forgotten instances: {}", ec.message());
        });
    if (peers == memory_.peers) return;
    files_.save_peers(peers);
    memory_.peers = std::move(peers);
    spdlog::info("redis: {} other optgate instance(s) write to this Redis", memory_.peers.size());
}

}  // namespace optgate
