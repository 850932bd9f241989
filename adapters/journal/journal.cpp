#include "adapters/journal/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "adapters/journal/applied_cursor_file.hpp"
#include "adapters/journal/journal_error.hpp"
#include "adapters/journal/journal_record.hpp"

namespace optgate {
namespace {

// Coalesces the applier's progress: one rename per interval, whatever its rate.
constexpr auto applied_persist_interval = std::chrono::milliseconds(200);

std::error_code last_errno() {
    return {errno, std::system_category()};
}

std::error_code write_all(journal_file_ops& ops, int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ops.write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) return last_errno();
        if (written == 0) return std::make_error_code(std::errc::io_error);
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

}  // namespace

std::unique_ptr<journal> journal::open(const journal_options& options, std::error_code& ec) {
    ec.clear();
    journal_options effective = options;
    if (!effective.file_ops) effective.file_ops = std::make_shared<journal_file_ops>();
    std::filesystem::create_directories(effective.dir, ec);
    if (ec) return nullptr;
    unique_fd dir_fd(::open(effective.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd || ::flock(dir_fd.get(), LOCK_EX | LOCK_NB) != 0) {
        ec = last_errno();
        return nullptr;
    }
    recovered_journal recovered;
    ec = recover_segments(effective.dir, dir_fd.get(), *effective.file_ops, recovered);
    if (ec) return nullptr;
    const std::uint64_t applied = read_applied_cursor(effective.dir, ec);
    if (ec) return nullptr;
    return std::unique_ptr<journal>(
        new journal(effective, std::move(dir_fd), std::move(recovered), applied));
}

journal::journal(const journal_options& options, unique_fd dir_fd, recovered_journal recovered,
                 std::uint64_t applied_seq)
    : options_(options),
      dir_fd_(std::move(dir_fd)),
      recovery_(recovered.report),
      durable_seq_(recovered.report.durable_seq),
      applied_seq_(applied_seq),
      segments_(std::move(recovered.segments)) {
    for (const auto& s : segments_) total_bytes_ += s.file_bytes;
    // Never reuse a seq the applier may have marked, nor name a file after an existing one.
    next_seq_ = std::max({durable_seq_.load(), applied_seq,
                          segments_.empty() ? 0 : segments_.back().first_seq}) +
                1;
    writer_ = std::thread(&journal::run_writer, this);
}

journal::~journal() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_writer_.notify_one();
    writer_.join();
}

void journal::append(std::vector<std::string> records, append_handler done) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back({std::move(records), std::move(done)});
            wake_writer_.notify_one();
            return;
        }
    }
    done(journal_errc::closed, 0);
}

void journal::mark_applied(std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    seq = std::min(seq, durable_seq_.load());
    if (seq <= applied_seq_.load()) return;
    applied_seq_ = seq;
    if (applied_dirty_) return;
    applied_dirty_ = true;
    applied_due_ = std::max(clock::now(), applied_persisted_at_ + applied_persist_interval);
    wake_writer_.notify_one();
}

std::chrono::steady_clock::duration journal::writing_for() const {
    const auto since = writing_since_.load();
    if (since == 0) return clock::duration::zero();
    return clock::now() - clock::time_point(clock::duration(since));
}

std::uint64_t journal::size_bytes() const {
    std::lock_guard lock(mutex_);
    return total_bytes_;
}

std::uint64_t journal::first_retained_seq() const {
    std::lock_guard lock(mutex_);
    return segments_.empty() ? durable_seq_.load() + 1 : segments_.front().first_seq;
}

std::optional<journal_segment> journal::segment_after(std::uint64_t seq) const {
    std::lock_guard lock(mutex_);
    for (const auto& s : segments_)
        if (s.last_seq > seq) return s;
    return std::nullopt;
}

std::error_code journal::remove_expired_segments() {
    std::lock_guard serial(retention_mutex_);
    const auto cutoff = std::filesystem::file_time_type::clock::now() - options_.retention;
    for (;;) {
        journal_segment oldest;
        {
            std::lock_guard lock(mutex_);
            if (segments_.size() < 2 || segments_.front().last_seq > applied_seq_.load()) return {};
            oldest = segments_.front();
        }
        // Oldest first, each removal synced before the next: the files left are always a
        // suffix, which is what recovery's cross-file checks expect.
        const auto path = options_.dir / segment_file_name(oldest.first_seq);
        std::error_code ec;
        const auto modified = std::filesystem::last_write_time(path, ec);
        if (ec && ec != std::errc::no_such_file_or_directory) return ec;
        if (!ec && modified > cutoff) return {};
        if (!ec && ::unlink(path.c_str()) != 0) return last_errno();
        {
            std::lock_guard lock(mutex_);
            total_bytes_ -= segments_.front().file_bytes;
            segments_.erase(segments_.begin());
        }
        if (options_.file_ops->fsync(dir_fd_.get()) != 0) return last_errno();
    }
}

void journal::run_writer() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!queue_.empty()) {
            std::vector<pending_append> batch;
            batch.swap(queue_);
            lock.unlock();
            writing_since_ = clock::now().time_since_epoch().count();
            commit(batch);
            writing_since_ = 0;
            batch.clear();  // handlers' captures are released outside the lock
            lock.lock();
        } else if (applied_dirty_ && (stopping_ || clock::now() >= applied_due_)) {
            writing_since_ = clock::now().time_since_epoch().count();
            persist_applied(lock);
            writing_since_ = 0;
        } else if (stopping_) {
            return;
        } else if (applied_dirty_) {
            wake_writer_.wait_until(lock, applied_due_);
        } else {
            wake_writer_.wait(lock);
        }
    }
}

void journal::persist_applied(std::unique_lock<std::mutex>& lock) {
    const std::uint64_t seq = applied_seq_.load();
    applied_dirty_ = false;
    lock.unlock();
    const std::error_code ec = write_applied_cursor(options_.dir, seq);
    lock.lock();
    applied_persisted_at_ = clock::now();
    // Retried while running; on the way out one attempt is all there is.
    if (ec && !stopping_ && applied_seq_.load() == seq) {
        applied_dirty_ = true;
        applied_due_ = applied_persisted_at_ + applied_persist_interval;
    }
}

void journal::commit(std::vector<pending_append>& batch) {
    const std::uint64_t batch_first_seq = next_seq_;
    std::vector<std::uint64_t> first_seqs(batch.size(), 0);
    batch_bytes_.clear();
    if (!segment_fd_) batch_bytes_ = encode_segment_header({batch_first_seq, durable_seq_.load()});
    for (std::size_t i = 0; i < batch.size(); ++i) {
        auto& group = batch[i];
        std::error_code refused;
        if (group.records.empty()) refused = journal_errc::empty_group;
        for (const auto& r : group.records)
            if (r.size() > journal_max_record_bytes) refused = journal_errc::record_too_large;
        if (refused) {
            group.done(refused, 0);
            group.done = nullptr;
            continue;
        }
        first_seqs[i] = next_seq_;
        for (std::size_t r = 0; r < group.records.size(); ++r)
            append_record(batch_bytes_, next_seq_++, group.records[r],
                          r + 1 == group.records.size());
    }
    if (next_seq_ == batch_first_seq) return;
    const std::error_code ec = write_batch(batch_first_seq, next_seq_ - 1);
    for (std::size_t i = 0; i < batch.size(); ++i)
        if (batch[i].done) batch[i].done(ec, ec ? 0 : first_seqs[i]);
}

std::error_code journal::write_batch(std::uint64_t first_seq, std::uint64_t last_seq) {
    if (!segment_fd_)
        if (auto ec = start_segment(first_seq)) return ec;
    auto& ops = *options_.file_ops;
    std::error_code ec = write_all(ops, segment_fd_.get(), batch_bytes_);
    if (!ec && ops.fdatasync(segment_fd_.get()) != 0) ec = last_errno();
    if (!ec) ++syncs_;
    if (ec) {
        abandon_segment();
        return ec;
    }
    bool full;
    {
        std::lock_guard lock(mutex_);
        auto& current = segments_.back();
        current.last_seq = last_seq;
        current.file_bytes += batch_bytes_.size();
        current.durable_end = current.file_bytes;
        total_bytes_ += batch_bytes_.size();
        durable_seq_ = last_seq;
        full = current.file_bytes >= options_.segment_bytes;
    }
    if (full) segment_fd_.reset();
    return {};
}

std::error_code journal::start_segment(std::uint64_t first_seq) {
    const auto path = options_.dir / segment_file_name(first_seq);
    unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600));
    if (!fd) return last_errno();
    {
        std::lock_guard lock(mutex_);
        segments_.push_back({first_seq, 0, 0, 0});
    }
    // The new name must survive a crash as surely as the records written into it.
    if (options_.file_ops->fsync(dir_fd_.get()) != 0) return last_errno();
    segment_fd_ = std::move(fd);
    return {};
}

// After a failed write or fdatasync the file's state is unknown (the kernel may have
// dropped the dirty pages it could not write), so it is closed for good.
void journal::abandon_segment() {
    struct stat st {};
    if (::fstat(segment_fd_.get(), &st) == 0) {
        std::lock_guard lock(mutex_);
        auto& current = segments_.back();
        const auto size = static_cast<std::uint64_t>(st.st_size);
        total_bytes_ = total_bytes_ - current.file_bytes + size;
        current.file_bytes = size;
    }
    segment_fd_.reset();
}

}  // namespace optgate
