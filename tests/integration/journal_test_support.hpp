// What the journal's integration tests share: a temporary journal directory, file ops that
// count and fail system calls on demand, and synchronous wrappers over append and read.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/journal/journal.hpp"
#include "adapters/journal/journal_reader.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {

inline constexpr auto test_deadline = std::chrono::seconds(10);

// Counts calls and fails the Nth (1-based) write, fdatasync or fsync with `fail_errno`. A
// failing write first writes half of its bytes, as a full disk does.
class fault_file_ops : public journal_file_ops {
  public:
    std::atomic<int> writes{0}, fdatasyncs{0}, fsyncs{0};
    std::atomic<int> fail_write_at{0}, fail_fdatasync_at{0}, fail_fsync_at{0};
    int fail_errno = EIO;

    ssize_t write(int fd, const void* bytes, std::size_t count) override {
        if (++writes != fail_write_at) return journal_file_ops::write(fd, bytes, count);
        if (count > 1) journal_file_ops::write(fd, bytes, count / 2);
        errno = fail_errno;
        return -1;
    }
    int fdatasync(int fd) override {
        if (++fdatasyncs != fail_fdatasync_at) return journal_file_ops::fdatasync(fd);
        errno = fail_errno;
        return -1;
    }
    int fsync(int fd) override {
        if (++fsyncs != fail_fsync_at) return journal_file_ops::fsync(fd);
        errno = fail_errno;
        return -1;
    }
};

struct append_result {
    std::error_code ec;
    std::uint64_t first_seq = 0;
};

// Appends one group and waits for its handler.
inline append_result append_and_wait(journal& j, std::vector<std::string> records) {
    auto promise = std::make_shared<std::promise<append_result>>();
    auto result = promise->get_future();
    j.append(std::move(records), [promise](std::error_code ec, std::uint64_t first_seq) {
        promise->set_value({ec, first_seq});
    });
    if (result.wait_for(test_deadline) != std::future_status::ready) {
        ADD_FAILURE() << "append handler not called before the deadline";
        return {std::make_error_code(std::errc::timed_out), 0};
    }
    return result.get();
}

inline std::unique_ptr<journal> open_journal(const journal_options& options) {
    std::error_code ec;
    auto j = journal::open(options, ec);
    EXPECT_FALSE(ec) << ec.message();
    return j;
}

// Every durable record after `after_seq`, read a few at a time.
inline std::vector<journal_reader::record> read_all(const journal& j, std::uint64_t after_seq = 0) {
    journal_reader reader(j, after_seq);
    std::vector<journal_reader::record> all;
    for (;;) {
        std::error_code ec;
        auto some = reader.next(3, ec);
        EXPECT_FALSE(ec) << ec.message();
        if (ec || some.empty()) return all;
        for (auto& r : some) all.push_back(std::move(r));
    }
}

inline std::vector<std::uint64_t> seqs_of(const std::vector<journal_reader::record>& records) {
    std::vector<std::uint64_t> seqs;
    for (const auto& r : records) seqs.push_back(r.seq);
    return seqs;
}

// Segment files in name (= seq) order.
inline std::vector<std::filesystem::path> segment_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".seg") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// A test with a journal directory of its own, and options naming it.
class journal_dir_test : public ::testing::Test {
  protected:
    temp_dir dir_;
    journal_options options() const {
        journal_options o;
        o.dir = dir_.path();
        return o;
    }
};

}  // namespace optgate::testing
