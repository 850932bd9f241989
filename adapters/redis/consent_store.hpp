// Consent in Redis: applies events atomically with their audit entries (one Lua script per
// event) and reads records for checks with pipelining in chunks.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/redis/consent_keys.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "core/apply_event.hpp"
#include "core/audit_entry.hpp"

namespace optgate {

struct store_options {
    std::chrono::milliseconds command_deadline{5000};
    std::size_t check_chunk = 5000;    // recipients per pipelined chunk
    std::size_t chunks_in_flight = 4;  // chunks sent before the first one answers
    std::size_t history_limit = 1000;  // newest audit entries shown per address
};

// Threads: methods may be called from any thread; handlers run on the strand of the
// connection that served them. Applies go through `writes`, reads through `reads` (they may
// be the same connection) so that a million-recipient check never queues behind a STOP.
class consent_store {
  public:
    consent_store(std::shared_ptr<redis_connection> writes, std::shared_ptr<redis_connection> reads,
                  std::string key_prefix, store_options options = {});

    bool available() const { return writes_->connected() && reads_->connected(); }

    // Called (on the connection's strand) each time the connection that applies events
    // (re)connects. Add handlers before the connections start.
    void add_writes_connected_handler(std::function<void()> handler) {
        connected_handlers_->push_back(std::move(handler));
    }
    // The same for the connection that reads for checks, when it is another one.
    void set_reads_connected_handler(std::function<void()> handler);

    // From now on every read for a check or a record (read_records, read_address) also asks,
    // in the same pipeline, whether Redis still holds this instance's journal-complete marker
    // (one command per chunk), and fails with redis_error::data_lost when it does not, so that
    // no answer ever comes from a Redis that lost data; `on_loss` is then called (on a
    // connection's strand). Call before the connections start.
    void require_complete_marker(const std::string& instance, std::function<void()> on_loss);

    using apply_handler = std::function<void(std::error_code, std::vector<event_result>)>;
    // Applies the events in order, pipelined; each atomically with its audit entry.
    void apply(std::vector<consent_event> events, apply_handler handler);

    using records_handler =
        std::function<void(std::error_code, std::vector<std::optional<consent_record>>)>;
    // One result per address, in order; nullopt where there is no record.
    void read_records(channel c, std::string program,
                      std::shared_ptr<const std::vector<std::string>> addresses,
                      records_handler handler);

    struct program_record {
        optgate::channel channel;
        std::string program;
        consent_record record;
    };
    struct address_consent {
        std::vector<program_record> records;
        std::vector<audit_entry> history;  // newest first
    };
    using address_handler = std::function<void(std::error_code, address_consent)>;
    void read_address(const std::string& address, address_handler handler);

    // Pages through the audit trail by received time, oldest first. The cursor is opaque to
    // callers: pass back what the previous page returned.
    struct audit_cursor {
        epoch_ms score = 0;
        std::size_t skip = 0;  // entries at exactly `score` already returned
    };
    using audit_handler = std::function<void(std::error_code, std::vector<audit_entry>,
                                             std::optional<audit_cursor> next)>;
    void read_audit(epoch_ms since, epoch_ms until, audit_cursor from, std::size_t limit,
                    audit_handler handler);

    // Which Redis server answers (its run id changes on every restart and failover), whether
    // it still holds the marker written after the journal was last applied in full, whether
    // it may evict keys, and which server the reads connection is on.
    struct server_identity {
        std::string run_id;
        bool complete_marker = false;
        std::string maxmemory_policy;  // as INFO memory says it; empty if it says nothing
        std::string reads_run_id;      // the reads connection's server (run_id if the same)
        // Redis's refusal of INFO or EXISTS (an ACL, a renamed command), if it refused: then
        // nothing above is known.
        std::string refused;
    };
    using identity_handler = std::function<void(std::error_code, server_identity)>;
    void read_identity(const std::string& instance, identity_handler handler);
    void write_complete_marker(const std::string& instance,
                               std::function<void(std::error_code)> handler);
    // Drops the reads connection so that it connects again (see redis_connection::reconnect).
    void reconnect_reads(std::string reason);

  private:
    void run_apply(std::shared_ptr<std::vector<consent_event>> events, bool load_script,
                   apply_handler handler);
    redis_connection::command apply_command(const consent_event& e) const;

    std::shared_ptr<redis_connection> writes_;
    std::shared_ptr<redis_connection> reads_;
    consent_keys keys_;
    store_options options_;
    std::string script_sha_;
    std::shared_ptr<std::vector<std::function<void()>>> connected_handlers_;
    std::string marker_key_;  // empty: reads do not check the marker
    std::function<void()> on_data_loss_;
};

}  // namespace optgate
