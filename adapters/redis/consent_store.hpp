// Consent in Redis: applies events atomically with their audit entries (one Lua script per
// event) and reads records for checks with pipelining in chunks.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/redis/consent_keys.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "core/apply_event.hpp"
#include "core/audit_entry.hpp"
#include "core/consent_ports.hpp"

namespace optgate {

struct store_options {
    std::chrono::milliseconds command_deadline{5000};
    std::size_t check_chunk = 5000;    // recipients per pipelined chunk
    std::size_t chunks_in_flight = 4;  // chunks sent before the first one answers
    std::size_t history_limit = 1000;  // newest audit entries shown per address
    std::chrono::milliseconds feed_retention{std::chrono::hours(24 * 7)};  // of the change feed
};

// Threads: methods may be called from any thread; handlers run on the strand of the
// connection that served them. Applies go through `writes`, reads through `reads` (they may
// be the same connection) so that a million-recipient check never queues behind a STOP.
class consent_store : public consent_reader {
  public:
    consent_store(std::shared_ptr<redis_connection> writes, std::shared_ptr<redis_connection> reads,
                  std::string key_prefix, store_options options = {});

    bool available() const override { return writes_->connected() && reads_->connected(); }

    // Called (on the connection's strand) each time the connection that applies events
    // (re)connects. Add handlers before the connections start.
    void add_writes_connected_handler(std::function<void()> handler) {
        connected_handlers_->push_back(std::move(handler));
    }
    // The same for the connection that reads for checks, when it is another one.
    void set_reads_connected_handler(std::function<void()> handler);

    // From now on every read for a check or a record (read_records, read_address) also asks,
    // in the same pipeline, whether Redis still holds this instance's journal-complete marker
    // (one command per chunk), and fails with store_error::data_lost when it does not, so that
    // no answer ever comes from a Redis that lost data; `on_loss` is then called (on a
    // connection's strand). Call before the connections start.
    void require_complete_marker(const std::string& instance, std::function<void()> on_loss);
    // With the marker required: reads answer only over the reads connection a verification
    // found on the right server (server_identity::reads_connection). Until one is verified,
    // and from a reconnect (to any server: a restarted or failed-over one may hold an old
    // copy, marker and all) until the next verification, they fail with
    // store_error::reconnected.
    void reads_verified(std::uint64_t connection) { verified_reads_ = connection; }
    void reads_unverified() { verified_reads_ = 0; }

    // The journal whose records this store applies (its instance id): the records its replays
    // write name it, and another journal's replay does not opt them in again (apply_event).
    // Call before the connections start.
    void replays_of(std::string journal) { journal_ = std::move(journal); }

    using apply_handler = std::function<void(std::error_code, std::vector<event_result>)>;
    // Applies the events in order, pipelined; each atomically with its audit entry. The first
    // `replays` of them are replays of the journal after Redis lost data (delivery::replay).
    void apply(std::vector<consent_event> events, std::size_t replays, apply_handler handler);

    void read_records(channel c, std::string program, std::vector<std::string> others,
                      std::shared_ptr<const std::vector<std::string>> addresses,
                      records_handler handler) override;
    void read_address(const std::string& address, address_handler handler) override;
    void read_audit(epoch_ms since, epoch_ms until, audit_cursor from, std::size_t limit,
                    audit_handler handler) override;
    void read_feed(const std::string& after, std::size_t limit, feed_handler handler) override;

    // Which Redis server answers (its run id changes on every restart and failover), whether
    // it still holds this instance's marker (written before the journal is applied again,
    // set to the run id once it is), whether it may evict keys, which server the reads
    // connection is on, and the instances registered and their markers.
    struct server_identity {
        std::string run_id;
        std::string redis_version;  // as INFO server says it ("7.0.15"); empty if it says nothing
        bool complete_marker = false;
        std::string marker;                               // its value, if it is there
        std::vector<std::string> instances;               // the registered instances
        std::map<std::string, std::string> peer_markers;  // each asked peer's, if there
        std::string maxmemory_policy;  // as INFO memory says it; empty if it says nothing
        long long evicted_keys = 0;    // as INFO stats says: since its start or CONFIG RESETSTAT
        std::string evictions_review;  // the operator's review key's value, if set
        std::string evictions_review_key;    // its name
        std::string reads_run_id;            // the reads connection's server (run_id if the same)
        std::uint64_t reads_connection = 0;  // which connection of it was read (connections())
        // Redis's refusal of INFO or EXISTS (an ACL, a renamed command), if it refused: then
        // nothing above is known.
        std::string refused;
    };
    using identity_handler = std::function<void(std::error_code, server_identity)>;
    void read_identity(const std::string& instance, const std::vector<std::string>& peers,
                       identity_handler handler);
    // Before the journal is applied again: the marker, unless it is there already (a
    // replay that found the marker names the server it was complete on until it is done).
    void write_replaying_marker(const std::string& instance,
                                std::function<void(std::error_code)> handler);
    // Once the journal is applied in full to the server `run_id`: the marker names it (if it
    // is still there), and the instance and the `peers` it knows are registered for every
    // instance to wait for after a loss.
    void write_complete_marker(const std::string& instance, const std::string& run_id,
                               const std::vector<std::string>& peers,
                               std::function<void(std::error_code)> handler);
    // Instances an operator forgot: no longer registered.
    void unregister(const std::vector<std::string>& instances,
                    std::function<void(std::error_code)> handler);
    // Drops the reads connection so that it connects again (see redis_connection::reconnect).
    void reconnect_reads(std::string reason);

  private:
    void write_meta(std::vector<redis_connection::command> commands,
                    std::function<void(std::error_code)> handler);
    void run_apply(std::shared_ptr<std::vector<consent_event>> events, std::size_t replays,
                   bool load_script, apply_handler handler);
    redis_connection::command apply_command(const consent_event& e, bool replay) const;

    std::shared_ptr<redis_connection> writes_;
    std::shared_ptr<redis_connection> reads_;
    consent_keys keys_;
    store_options options_;
    std::string script_sha_;
    std::shared_ptr<std::vector<std::function<void()>>> connected_handlers_;
    std::string marker_key_;  // empty: reads do not check the marker
    std::string journal_;     // empty: replays name no journal
    std::function<void()> on_data_loss_;
    std::atomic<std::uint64_t> verified_reads_{0};
};

}  // namespace optgate
