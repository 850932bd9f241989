// Notices when Redis has lost what optgate wrote (restarted empty, flushed, failed over to
// a replica that missed writes) and has the pipeline apply the retained journal again.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "adapters/pipeline/event_pipeline.hpp"
#include "adapters/pipeline/redis_memory_files.hpp"
#include "adapters/pipeline/redis_verdict.hpp"
#include "adapters/redis/consent_store.hpp"

namespace optgate {

// Two signals, checked on every (re)connect and every `interval`: the server's run id (new
// on every restart and failover; kept in `state_dir/redis-run-id` once a re-apply has
// finished) and a marker key of this instance (named by the random id in
// `state_dir/instance-id`), written just before a re-apply so that any later flush or empty
// restart removes it. A missing marker, an unknown or a changed run id: the pipeline applies
// the retained journal again, and answers wait until the marker is seen again afterwards.
// Every check's read also asks for the marker (consent_store::require_complete_marker), and a
// read that misses it starts a verification at once. Answers are also held while Redis may
// evict keys (maxmemory-policy other than noeviction; once it is set right, the journal is
// applied again: what it evicted meanwhile is gone) and while the reads connection is on
// another server than the writes one (it is reconnected).
//
// Several instances: the marker is set to the server's run id once the journal is applied in
// full, and the instance registered; each keeps the others' ids in `state_dir/peers`. After
// a loss, answers wait until every peer's marker names this server too: a STOP only another
// instance's journal holds is in Redis again before anyone answers.
//
// Threads: start()/stop() from any thread; the work runs on its own strand.
class data_loss_watch : public std::enable_shared_from_this<data_loss_watch> {
  public:
    static std::shared_ptr<data_loss_watch> create(boost::asio::any_io_executor executor,
                                                   consent_store& store, event_pipeline& pipeline,
                                                   const std::filesystem::path& state_dir,
                                                   std::chrono::milliseconds interval);
    // Before the pipeline and the Redis connections start: it makes the pipeline hold
    // answers until each (re)connected Redis is verified, and listens for reconnects.
    void start();
    void stop();

  private:
    data_loss_watch(boost::asio::any_io_executor executor, consent_store& store,
                    event_pipeline& pipeline, const std::filesystem::path& state_dir,
                    std::chrono::milliseconds interval);
    void verify();
    void on_identity(const consent_store::server_identity& id);
    void on_replayed(const std::string& run_id);
    void keep_registered(const consent_store::server_identity& id);
    void forget_known_run_id();
    void hold(const std::string& reason);
    void schedule();

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    consent_store& store_;
    event_pipeline& pipeline_;
    redis_memory_files files_;
    std::string instance_;
    std::chrono::milliseconds interval_;
    boost::asio::steady_timer timer_;
    redis_memory memory_;               // what judge_redis decides with
    std::set<std::string> registered_;  // the registry as last read
    std::string held_for_;              // why answers are held (logged once), if they are
    bool verifying_ = false;
    bool verify_again_ = false;
    bool stopping_ = false;
};

}  // namespace optgate
