// The durable local log behind rule 5: a webhook is acknowledged only once its event bytes
// are appended here and fdatasync'd; the applier then brings Redis up to date from it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "adapters/journal/journal_file_ops.hpp"
#include "adapters/journal/journal_segment.hpp"
#include "adapters/journal/segment_recovery.hpp"
#include "adapters/journal/unique_fd.hpp"

namespace optgate {

struct journal_options {
    std::filesystem::path dir;
    std::uint64_t segment_bytes = 64ull << 20;   // a segment past this size is closed
    std::chrono::hours retention{24 * 7};        // how long applied segments are kept
    std::shared_ptr<journal_file_ops> file_ops;  // null: the POSIX calls; tests inject faults
};

// Opaque byte records with consecutive seqs from 1, stored in segment files of `dir`
// (see journal_segment.hpp and journal_record.hpp for the format). One writer thread,
// owned here, batches every append queued while it was busy into one write and one
// fdatasync (group commit). A failed write or fdatasync fails the whole batch, and its file
// is never synced again: the next batch starts a new segment. The failed batch's seqs are
// skipped, never reused, so seqs have gaps and readers expect them. Each process also starts
// a new segment, so nothing is ever appended to a file a previous process wrote.
//
// Threads: every public method may be called from any thread. Handlers run on the writer
// thread and must neither throw nor block. `dir` is locked (flock) against a second journal.
class journal {
  public:
    static std::unique_ptr<journal> open(const journal_options& options, std::error_code& ec);
    // Completes every queued append, persists the applied cursor, stops the writer.
    ~journal();
    journal(const journal&) = delete;
    journal& operator=(const journal&) = delete;

    // `ec` is empty once the group is durable; `first_seq` is then its first record's seq
    // (the others follow consecutively) and 0 on error. A group is durable whole or not at
    // all. Empty groups and records over journal_max_record_bytes are refused. An append that
    // races with destruction gets journal_errc::closed on the calling thread.
    using append_handler = std::function<void(std::error_code ec, std::uint64_t first_seq)>;
    void append(std::vector<std::string> records, append_handler done);

    std::uint64_t durable_seq() const { return durable_seq_.load(); }
    std::uint64_t applied_seq() const { return applied_seq_.load(); }
    // The applier's progress (capped at durable_seq()); written to `dir/applied` at most
    // every 200 ms, and on destruction.
    void mark_applied(std::uint64_t seq);

    // Deletes, oldest first, the segments whose records are all applied and whose file is
    // older than the retention; stops at the first that is not, and never deletes the newest.
    std::error_code remove_expired_segments();

    std::uint64_t size_bytes() const;
    // How many times the writer has synced appends to disk: with many appends per sync
    // (group commit), far fewer than the appends.
    std::uint64_t syncs() const { return syncs_.load(); }
    // The seq of the oldest record the journal still retains (beyond durable_seq() if none).
    std::uint64_t first_retained_seq() const;
    // How long the writer has been inside one write and sync (zero while it waits for work):
    // a disk that hangs shows here, for the watchdog.
    std::chrono::steady_clock::duration writing_for() const;
    const journal_recovery& recovery() const { return recovery_; }  // what open() repaired
    const std::filesystem::path& dir() const { return options_.dir; }

  private:
    friend class journal_reader;
    using clock = std::chrono::steady_clock;
    struct pending_append {
        std::vector<std::string> records;
        append_handler done;
    };

    journal(const journal_options& options, unique_fd dir_fd, recovered_journal recovered,
            std::uint64_t applied_seq);
    // For journal_reader: the first segment holding a durable record after `seq`.
    std::optional<journal_segment> segment_after(std::uint64_t seq) const;

    void run_writer();
    void commit(std::vector<pending_append>& batch);
    std::error_code write_batch(std::uint64_t first_seq, std::uint64_t last_seq);
    std::error_code start_segment(std::uint64_t first_seq);
    void abandon_segment();
    void persist_applied(std::unique_lock<std::mutex>& lock);

    const journal_options options_;  // file_ops is never null here
    const unique_fd dir_fd_;
    const journal_recovery recovery_;
    std::atomic<std::uint64_t> durable_seq_;
    std::atomic<clock::rep> writing_since_{0};  // time_since_epoch().count(); 0: not writing
    std::atomic<std::uint64_t> applied_seq_;
    std::atomic<std::uint64_t> syncs_{0};

    mutable std::mutex mutex_;  // guards everything below but the writer-only members
    std::condition_variable wake_writer_;
    std::vector<pending_append> queue_;
    bool stopping_ = false;
    std::vector<journal_segment> segments_;  // in seq order; the last is the current one
    std::uint64_t total_bytes_ = 0;          // of every segment file
    bool applied_dirty_ = false;
    clock::time_point applied_due_{};
    clock::time_point applied_persisted_at_{};

    std::mutex retention_mutex_;  // one remove_expired_segments() at a time

    // Writer thread only.
    std::uint64_t next_seq_;
    unique_fd segment_fd_;  // the segment batches are appended to; closed when full or failed
    std::string batch_bytes_;

    std::thread writer_;  // last: started once everything above is initialised
};

}  // namespace optgate
