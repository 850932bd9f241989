#include "adapters/pipeline/data_loss_watch.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace optgate {

namespace asio = boost::asio;

namespace {

void write_file_atomically(const std::filesystem::path& path, const std::string& line) {
    const auto temp = path.string() + ".tmp";
    std::ofstream(temp) << line << "\n";
    std::error_code ignored;
    std::filesystem::rename(temp, path, ignored);
}

std::string read_or_create_instance_id(const std::filesystem::path& path) {
    std::string id;
    std::getline(std::ifstream(path), id);
    if (!id.empty()) return id;
    std::random_device random;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", random(), random());
    write_file_atomically(path, buf);
    return buf;
}

std::set<std::string> read_lines(const std::filesystem::path& path) {
    std::set<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.insert(line);
    return lines;
}

}  // namespace

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
      run_id_file_(state_dir / "redis-run-id"),
      peers_file_(state_dir / "peers"),
      instance_(read_or_create_instance_id(state_dir / "instance-id")),
      interval_(interval),
      timer_(strand_) {
    std::ifstream in(run_id_file_);
    std::getline(in, memory_.known_run_id);
    memory_.peers = read_lines(peers_file_);
}

void data_loss_watch::start() {
    pipeline_.require_verification();
    const auto verify_soon = [weak = weak_from_this()] {
        if (auto self = weak.lock()) asio::post(self->strand_, [self] { self->verify(); });
    };
    store_.add_writes_connected_handler(verify_soon);
    store_.set_reads_connected_handler(verify_soon);
    // A read that finds the marker gone has already been refused; find out why at once.
    store_.require_complete_marker(instance_, verify_soon);
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
    const std::vector<std::string> peers(memory_.peers.begin(), memory_.peers.end());
    store_.read_identity(
        instance_, peers,
        [self = shared_from_this()](std::error_code ec, consent_store::server_identity id) {
            asio::post(self->strand_, [self, ec, id = std::move(id)] {
                self->verifying_ = false;
                if (!ec) self->on_identity(id);
                if (std::exchange(self->verify_again_, false)) self->verify();
            });
        });
}

void data_loss_watch::on_identity(const consent_store::server_identity& id) {
    const auto verdict = judge_redis(id, memory_);
    switch (verdict.what) {
        case redis_verdict::kind::hold:
            return hold(verdict.reason);
        case redis_verdict::kind::hold_may_evict:
            // What it evicts meanwhile is still gone once the policy is set right: the journal
            // is applied again then (forgotten on disk too, for a restart in between).
            memory_.may_have_evicted = true;
            if (!memory_.known_run_id.empty()) {
                memory_.known_run_id.clear();
                write_file_atomically(run_id_file_, "");
            }
            return hold(verdict.reason);
        case redis_verdict::kind::already_replaying:
            return;
        case redis_verdict::kind::reconnect_reads:
            store_.reconnect_reads("on another server than the writes (a demoted master?)");
            return hold(verdict.reason);
        case redis_verdict::kind::hold_for_peers:
            return hold(verdict.reason);
        case redis_verdict::kind::answer:
            if (!held_for_.empty()) spdlog::info("redis: checks are answered again");
            held_for_.clear();
            keep_registered(id);
            return pipeline_.mark_verified();
        case redis_verdict::kind::replay:
            break;
    }
    memory_.replaying_for = id.run_id;
    memory_.may_have_evicted = false;
    // Forgotten first: a re-apply cut short by a crash must lead to another on the next start.
    memory_.known_run_id.clear();
    write_file_atomically(run_id_file_, "");
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

void data_loss_watch::hold(const std::string& reason) {
    if (held_for_ != reason) spdlog::critical("redis: checks are not answered: {}", reason);
    held_for_ = reason;
    pipeline_.hold_answers(reason);
}

void data_loss_watch::on_replayed(const std::string& run_id) {
    memory_.replaying_for.clear();
    memory_.known_run_id = run_id;
    write_file_atomically(run_id_file_, run_id);
    store_.write_complete_marker(instance_, run_id, [](std::error_code ec) {
        if (ec) spdlog::warn("redis: cannot write the journal-complete marker: {}", ec.message());
    });
    verify();  // answers resume once the marker is seen still in place, and every peer's
}

void data_loss_watch::keep_registered(const consent_store::server_identity& id) {
    const bool registered =
        std::find(id.instances.begin(), id.instances.end(), instance_) != id.instances.end();
    if (id.marker != id.run_id || !registered)  // e.g. its last write failed
        store_.write_complete_marker(instance_, id.run_id, [](std::error_code ec) {
            if (ec) spdlog::warn("redis: cannot register this instance: {}", ec.message());
        });
    // Every instance registered while Redis is complete is one to wait for after a loss (the
    // registry is lost with the rest, so it is kept on disk).
    std::set<std::string> peers(id.instances.begin(), id.instances.end());
    peers.erase(instance_);
    if (peers == memory_.peers) return;
    std::string lines;
    for (const auto& peer : peers) lines += (lines.empty() ? "" : "\n") + peer;
    write_file_atomically(peers_file_, lines);
    memory_.peers = std::move(peers);
    spdlog::info("redis: {} other optgate instance(s) write to this Redis", memory_.peers.size());
}

}  // namespace optgate
