// The journal when things go wrong: torn and corrupt files at start-up, and failed writes
// and syncs (injected, and real ones from a file-size limit and a full tmpfs).
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>

#include "adapters/journal/journal_error.hpp"
#include "adapters/journal/journal_record.hpp"
#include "adapters/journal/journal_segment.hpp"
#include "tests/integration/journal_test_support.hpp"
#include "tests/support/root_only.hpp"

namespace optgate::testing {
namespace {

class journal_recovery_test : public journal_dir_test {
  protected:
    // Five single-record appends, "record 1" ... "record 5" (24 bytes each on disk).
    void write_five_records() {
        auto j = open_journal(options());
        for (int i = 1; i <= 5; ++i) append_and_wait(*j, {"record " + std::to_string(i)});
    }
    static constexpr std::uint64_t record_bytes = record_header_bytes + 8;
};

void flip_byte(const std::filesystem::path& file, std::uint64_t offset) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(c ^ 0x40));
}

TEST_F(journal_recovery_test, PartialLastRecordIsTruncatedAway) {
    write_five_records();
    const auto file = segment_files(dir_.path()).back();
    std::filesystem::resize_file(file, std::filesystem::file_size(file) - 7);
    auto j = open_journal(options());
    EXPECT_EQ(j->recovery().truncated_bytes, record_bytes - 7);
    EXPECT_EQ(j->durable_seq(), 4u);
    EXPECT_EQ(std::filesystem::file_size(file), segment_header_bytes + 4 * record_bytes);
    auto read = read_all(*j);
    EXPECT_EQ(seqs_of(read), (std::vector<std::uint64_t>{1, 2, 3, 4}));
    EXPECT_EQ(read.back().bytes, "record 4");
    EXPECT_EQ(append_and_wait(*j, {"again"}).first_seq, 5u);
}

TEST_F(journal_recovery_test, LastRecordWithABadChecksumIsTruncatedAway) {
    write_five_records();
    const auto file = segment_files(dir_.path()).back();
    flip_byte(file, std::filesystem::file_size(file) - 3);
    auto j = open_journal(options());
    EXPECT_EQ(j->recovery().truncated_bytes, record_bytes);
    EXPECT_EQ(seqs_of(read_all(*j)), (std::vector<std::uint64_t>{1, 2, 3, 4}));
}

TEST_F(journal_recovery_test, GroupWithATornEndIsDroppedWhole) {
    {
        auto j = open_journal(options());
        append_and_wait(*j, {"a"});
        append_and_wait(*j, {"b", "c", "d"});
    }
    const auto file = segment_files(dir_.path()).back();
    std::filesystem::resize_file(file, std::filesystem::file_size(file) - 1);
    auto j = open_journal(options());
    EXPECT_EQ(j->recovery().truncated_bytes, 3 * (record_header_bytes + 1) - 1);
    EXPECT_EQ(seqs_of(read_all(*j)), (std::vector<std::uint64_t>{1}));
}

TEST_F(journal_recovery_test, LastSegmentWithATornHeaderIsRemoved) {
    write_five_records();
    const auto torn = dir_.path() / segment_file_name(6);
    std::ofstream(torn, std::ios::binary) << "OGJS\1";
    auto j = open_journal(options());
    EXPECT_FALSE(std::filesystem::exists(torn));
    EXPECT_EQ(j->recovery().truncated_bytes, 5u);
    EXPECT_EQ(j->durable_seq(), 5u);
    EXPECT_EQ(append_and_wait(*j, {"next"}).first_seq, 6u);
}

TEST_F(journal_recovery_test, LastSegmentWithARottedHeaderButIntactRecordsIsAnError) {
    write_five_records();
    flip_byte(segment_files(dir_.path()).back(), 9);  // inside first_seq
    std::error_code ec;
    EXPECT_EQ(journal::open(options(), ec), nullptr);
    EXPECT_EQ(ec, journal_errc::corrupt_segment);
}

TEST_F(journal_recovery_test, DamageInAnEarlierSegmentIsAnError) {
    auto opts = options();
    opts.segment_bytes = 64;  // one record per segment
    {
        auto j = open_journal(opts);
        for (int i = 1; i <= 3; ++i) append_and_wait(*j, {"record " + std::to_string(i)});
    }
    const auto first = segment_files(dir_.path()).front();
    flip_byte(first, segment_header_bytes + record_header_bytes + 2);
    std::error_code ec;
    EXPECT_EQ(journal::open(opts, ec), nullptr);
    EXPECT_EQ(ec, journal_errc::corrupt_segment);

    flip_byte(first, segment_header_bytes + record_header_bytes + 2);  // repaired
    std::filesystem::resize_file(first, segment_header_bytes);         // but its record is gone
    EXPECT_EQ(journal::open(opts, ec), nullptr);
    EXPECT_EQ(ec, journal_errc::corrupt_segment);
}

TEST_F(journal_recovery_test, FailedFdatasyncFailsTheBatchAndTheNextOneStartsANewSegment) {
    auto ops = std::make_shared<fault_file_ops>();
    ops->fail_fdatasync_at = 2;
    auto opts = options();
    opts.file_ops = ops;
    {
        auto j = open_journal(opts);
        EXPECT_EQ(append_and_wait(*j, {"a"}).first_seq, 1u);
        auto failed = append_and_wait(*j, {"b"});
        EXPECT_EQ(failed.ec, std::errc::io_error);
        EXPECT_EQ(failed.first_seq, 0u);
        EXPECT_EQ(j->durable_seq(), 1u);
        EXPECT_EQ(append_and_wait(*j, {"c"}).first_seq, 3u);  // seq 2 is skipped
        EXPECT_EQ(ops->fdatasyncs.load(), 3);
        EXPECT_EQ(segment_files(dir_.path()), (std::vector{dir_.path() / segment_file_name(1),
                                                           dir_.path() / segment_file_name(3)}));
        auto read = read_all(*j);
        EXPECT_EQ(seqs_of(read), (std::vector<std::uint64_t>{1, 3}));
        EXPECT_EQ(read.back().bytes, "c");
    }
    auto j = open_journal(options());
    EXPECT_EQ(j->recovery().abandoned_bytes, record_header_bytes + 1);  // "b", never read
    EXPECT_EQ(j->recovery().truncated_bytes, 0u);
    EXPECT_EQ(j->durable_seq(), 3u);
    EXPECT_EQ(seqs_of(read_all(*j)), (std::vector<std::uint64_t>{1, 3}));
}

TEST_F(journal_recovery_test, FailedWriteLeavesAPartialBatchThatIsNeverRead) {
    auto ops = std::make_shared<fault_file_ops>();
    ops->fail_write_at = 2;
    ops->fail_errno = ENOSPC;
    auto opts = options();
    opts.file_ops = ops;
    {
        auto j = open_journal(opts);
        append_and_wait(*j, {"a"});
        EXPECT_EQ(append_and_wait(*j, {"bbbbbbbb", "cccccccc"}).ec, std::errc::no_space_on_device);
        EXPECT_EQ(append_and_wait(*j, {"d"}).first_seq, 4u);
    }
    auto j = open_journal(options());
    EXPECT_EQ(j->recovery().abandoned_bytes, record_bytes);  // half of the two records
    EXPECT_EQ(seqs_of(read_all(*j)), (std::vector<std::uint64_t>{1, 4}));
}

TEST_F(journal_recovery_test, FailedDirectoryFsyncAbandonsTheNewSegmentFile) {
    auto ops = std::make_shared<fault_file_ops>();
    ops->fail_fsync_at = 1;
    auto opts = options();
    opts.file_ops = ops;
    {
        auto j = open_journal(opts);
        EXPECT_EQ(append_and_wait(*j, {"a"}).ec, std::errc::io_error);
        EXPECT_EQ(append_and_wait(*j, {"b"}).first_seq, 2u);
    }
    ASSERT_EQ(segment_files(dir_.path()).size(), 2u);  // the empty first file stays
    for (int reopen = 0; reopen < 2; ++reopen) {
        auto j = open_journal(options());
        auto read = read_all(*j);
        EXPECT_EQ(seqs_of(read), (std::vector<std::uint64_t>{2}));
    }
}

// A real kernel write failure without root: writes past RLIMIT_FSIZE fail with EFBIG.
TEST_F(journal_recovery_test, FileSizeLimitFailsABatchLikeAFullDisk) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    rlimit limited = saved;
    limited.rlim_cur = 4096;
    auto j = open_journal(options());
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    std::vector<std::uint64_t> acknowledged;
    append_result failed;
    for (int i = 0; i < 20 && !failed.ec; ++i) {
        auto result = append_and_wait(*j, {std::string(500, 'f')});
        if (result.ec)
            failed = result;
        else
            acknowledged.push_back(result.first_seq);
    }
    EXPECT_EQ(failed.ec, std::errc::file_too_large);
    auto next = append_and_wait(*j, {"fits in a new segment"});
    ::setrlimit(RLIMIT_FSIZE, &saved);
    EXPECT_FALSE(next.ec);
    acknowledged.push_back(next.first_seq);
    j.reset();
    auto reopened = open_journal(options());
    EXPECT_EQ(seqs_of(read_all(*reopened)), acknowledged);
}

// A genuinely full file system: a small tmpfs (needs CAP_SYS_ADMIN; skipped without it).
TEST_F(journal_recovery_test, FullFileSystemFailsABatchAndFreedSpaceLetsTheNextSucceed) {
    const auto mount_point = dir_.path() / "tmpfs";
    std::filesystem::create_directory(mount_point);
    if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=256k") != 0)
        OPTGATE_SKIP_WITHOUT_ROOT("cannot mount a tmpfs here: " << std::strerror(errno));
    struct unmount_at_exit {
        std::filesystem::path path;
        ~unmount_at_exit() { ::umount(path.c_str()); }
    } unmount{mount_point};

    journal_options opts;
    opts.dir = mount_point / "journal";
    std::vector<std::uint64_t> acknowledged;
    {
        auto j = open_journal(opts);
        acknowledged.push_back(append_and_wait(*j, {"before"}).first_seq);
        const auto filler = mount_point / "filler";
        {
            std::ofstream out(filler, std::ios::binary);
            const std::string block(4096, 'z');
            while (out.write(block.data(), block.size()) && out.flush()) {
            }
        }
        auto failed = append_and_wait(*j, {std::string(16 << 10, 'x')});
        EXPECT_EQ(failed.ec, std::errc::no_space_on_device);
        std::filesystem::remove(filler);
        auto after = append_and_wait(*j, {std::string(16 << 10, 'y')});
        EXPECT_FALSE(after.ec);
        acknowledged.push_back(after.first_seq);
    }
    auto j = open_journal(opts);
    EXPECT_EQ(seqs_of(read_all(*j)), acknowledged);
}

}  // namespace
}  // namespace optgate::testing
