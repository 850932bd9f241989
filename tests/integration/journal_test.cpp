// The journal on real files: appends, group commit, reading back, segment rolls, the
// applied cursor and retention. Recovery and failures are in journal_recovery_test.cpp.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/journal/journal_error.hpp"
#include "adapters/journal/journal_record.hpp"
#include "tests/integration/journal_test_support.hpp"

namespace optgate::testing {
namespace {

class journal_test : public journal_dir_test {};

TEST_F(journal_test, AppendedGroupsGetConsecutiveDurableSeqsFromOne) {
    auto j = open_journal(options());
    EXPECT_EQ(j->durable_seq(), 0u);
    auto first = append_and_wait(*j, {"a", "b", "c"});
    EXPECT_FALSE(first.ec);
    EXPECT_EQ(first.first_seq, 1u);
    auto second = append_and_wait(*j, {"d"});
    EXPECT_EQ(second.first_seq, 4u);
    EXPECT_EQ(j->durable_seq(), 4u);
    EXPECT_EQ(j->size_bytes(), std::filesystem::file_size(segment_files(dir_.path()).at(0)));
}

// Holds the first fdatasync until every appender has queued, so the rest share one sync.
class gated_file_ops : public fault_file_ops {
  public:
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    int fdatasync(int fd) override {
        if (fdatasyncs.load() == 0) released.wait_for(test_deadline);
        return fault_file_ops::fdatasync(fd);
    }
};

TEST_F(journal_test, ConcurrentAppendsShareFsyncsAndEachHandlerRunsOnceOnTheWriterThread) {
    auto ops = std::make_shared<gated_file_ops>();
    auto opts = options();
    opts.file_ops = ops;
    auto j = open_journal(opts);

    constexpr int threads = 8, appends_per_thread = 50;
    std::mutex mutex;
    std::vector<std::pair<std::uint64_t, std::vector<std::string>>> groups;  // first seq, records
    std::set<std::thread::id> handler_threads;
    std::atomic<int> handled{0}, failed{0};
    std::vector<std::thread> appenders;
    for (int t = 0; t < threads; ++t) {
        appenders.emplace_back([&, t] {
            for (int a = 0; a < appends_per_thread; ++a) {
                std::vector<std::string> records;
                for (int r = 0; r <= a % 3; ++r)
                    records.push_back(std::to_string(t) + "/" + std::to_string(a) + "/" +
                                      std::to_string(r));
                j->append(records, [&, records](std::error_code ec, std::uint64_t first_seq) {
                    std::lock_guard lock(mutex);
                    if (ec) ++failed;
                    groups.emplace_back(first_seq, records);
                    handler_threads.insert(std::this_thread::get_id());
                    ++handled;
                });
            }
        });
    }
    std::set<std::thread::id> appender_ids;
    for (auto& t : appenders) {
        appender_ids.insert(t.get_id());
        t.join();
    }
    ops->release.set_value();
    for (const auto until = std::chrono::steady_clock::now() + test_deadline;
         handled.load() < threads * appends_per_thread && std::chrono::steady_clock::now() < until;)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // optgate_journal_syncs_total counts each sync, not each append.
    EXPECT_EQ(j->syncs(), std::uint64_t(ops->fdatasyncs.load()));
    j.reset();  // completes every queued append

    EXPECT_EQ(handled.load(), threads * appends_per_thread);
    EXPECT_EQ(failed.load(), 0);
    // The first batch may have caught any number of groups; all others waited for the gate.
    EXPECT_GE(ops->fdatasyncs.load(), 1);
    EXPECT_LE(ops->fdatasyncs.load(), 2);
    ASSERT_EQ(handler_threads.size(), 1u);
    EXPECT_FALSE(appender_ids.contains(*handler_threads.begin()));
    EXPECT_NE(*handler_threads.begin(), std::this_thread::get_id());

    // Seqs are unique, consecutive within a group, and with no failure, gap-free overall.
    std::sort(groups.begin(), groups.end());
    std::vector<std::string> expected;
    std::uint64_t next = 1;
    for (const auto& [first_seq, records] : groups) {
        EXPECT_EQ(first_seq, next);
        next += records.size();
        expected.insert(expected.end(), records.begin(), records.end());
    }
    auto reopened = open_journal(options());
    auto read = read_all(*reopened);
    ASSERT_EQ(read.size(), expected.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        EXPECT_EQ(read[i].seq, i + 1);
        EXPECT_EQ(read[i].bytes, expected[i]);
    }
}

TEST_F(journal_test, ReopenedJournalReadsEveryRecordInOrderAndWritesANewSegment) {
    {
        auto j = open_journal(options());
        for (int i = 1; i <= 100; ++i) append_and_wait(*j, {"event " + std::to_string(i)});
    }
    auto j = open_journal(options());
    EXPECT_EQ(j->durable_seq(), 100u);
    EXPECT_EQ(j->recovery().truncated_bytes, 0u);
    EXPECT_EQ(j->recovery().segments, 1u);
    auto read = read_all(*j);
    ASSERT_EQ(read.size(), 100u);
    for (int i = 1; i <= 100; ++i) {
        EXPECT_EQ(read[i - 1].seq, static_cast<std::uint64_t>(i));
        EXPECT_EQ(read[i - 1].bytes, "event " + std::to_string(i));
    }
    EXPECT_EQ(append_and_wait(*j, {"after"}).first_seq, 101u);
    EXPECT_EQ(segment_files(dir_.path()).back().filename(), "00000000000000000101.seg");
}

TEST_F(journal_test, ReaderResumesWhereItStoppedAndFollowsNewRecordsAcrossSegments) {
    auto opts = options();
    opts.segment_bytes = 200;
    auto j = open_journal(opts);
    for (int i = 1; i <= 10; ++i) append_and_wait(*j, {std::string(40, 'a' + i)});
    ASSERT_GT(segment_files(dir_.path()).size(), 2u);

    journal_reader reader(*j, 0);
    std::error_code ec;
    EXPECT_EQ(seqs_of(reader.next(3, ec)), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(seqs_of(reader.next(3, ec)), (std::vector<std::uint64_t>{4, 5, 6}));
    auto rest = reader.next(100, ec);
    EXPECT_EQ(seqs_of(rest), (std::vector<std::uint64_t>{7, 8, 9, 10}));
    EXPECT_EQ(rest.back().bytes, std::string(40, 'a' + 10));
    EXPECT_TRUE(reader.next(100, ec).empty());
    EXPECT_FALSE(ec);

    append_and_wait(*j, {"x", "y"});
    EXPECT_EQ(seqs_of(reader.next(100, ec)), (std::vector<std::uint64_t>{11, 12}));
    EXPECT_EQ(reader.cursor(), 12u);

    journal_reader from_middle(*j, 5);
    EXPECT_EQ(seqs_of(from_middle.next(2, ec)), (std::vector<std::uint64_t>{6, 7}));
}

// A batch is bounded by bytes as well as records: a backlog of large records (SendGrid's
// batches of 500 events) is applied in batches Redis can take within its deadline.
TEST_F(journal_test, ReaderStopsBeforeARecordThatWouldPassTheByteLimit) {
    auto opts = options();
    opts.segment_bytes = 200;
    auto j = open_journal(opts);
    for (int i = 1; i <= 10; ++i) append_and_wait(*j, {std::string(40, 'a' + i)});

    journal_reader reader(*j, 0);
    std::error_code ec;
    EXPECT_EQ(seqs_of(reader.next(100, ec, 100)), (std::vector<std::uint64_t>{1, 2}));
    // The record that did not fit comes first next time, however small the limit.
    EXPECT_EQ(seqs_of(reader.next(100, ec, 10)), (std::vector<std::uint64_t>{3}));
    EXPECT_EQ(seqs_of(reader.next(100, ec, 120)), (std::vector<std::uint64_t>{4, 5, 6}));
    EXPECT_EQ(seqs_of(reader.next(1, ec, 1000)), (std::vector<std::uint64_t>{7}));
    const auto rest = reader.next(100, ec, 1000);
    EXPECT_EQ(seqs_of(rest), (std::vector<std::uint64_t>{8, 9, 10}));
    EXPECT_EQ(rest.front().bytes, std::string(40, 'a' + 8));
    EXPECT_FALSE(ec);
    EXPECT_EQ(reader.cursor(), 10u);
}

TEST_F(journal_test, SegmentRollsOnceItPassesSegmentBytes) {
    auto opts = options();
    opts.segment_bytes = 1024;
    auto j = open_journal(opts);
    for (int i = 0; i < 20; ++i) append_and_wait(*j, {std::string(200, 'r')});
    const auto files = segment_files(dir_.path());
    ASSERT_GE(files.size(), 4u);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto size = std::filesystem::file_size(files[i]);
        total += size;
        if (i + 1 < files.size()) {
            EXPECT_GE(size, 1024u);
            EXPECT_LT(size, 1024u + record_header_bytes + 200);
        }
    }
    EXPECT_EQ(j->size_bytes(), total);
    EXPECT_EQ(read_all(*j).size(), 20u);
}

TEST_F(journal_test, AppliedCursorSurvivesReopenAndNeverPassesDurableSeq) {
    {
        auto j = open_journal(options());
        for (int i = 0; i < 10; ++i) append_and_wait(*j, {"e"});
        j->mark_applied(3);
        j->mark_applied(7);
        j->mark_applied(5);  // progress only moves forward
        EXPECT_EQ(j->applied_seq(), 7u);
    }
    auto j = open_journal(options());
    EXPECT_EQ(j->applied_seq(), 7u);
    EXPECT_EQ(seqs_of(read_all(*j, j->applied_seq())), (std::vector<std::uint64_t>{8, 9, 10}));
    j->mark_applied(100);
    EXPECT_EQ(j->applied_seq(), 10u);
}

void set_age(const std::filesystem::path& file, std::chrono::hours age) {
    const auto when = std::chrono::system_clock::now() - age;
    const auto since_epoch = when.time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    timespec times[2];
    times[0].tv_sec = times[1].tv_sec = secs.count();
    times[0].tv_nsec = times[1].tv_nsec = 0;
    ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
}

TEST_F(journal_test, RetentionRemovesOnlyAppliedOldSegmentsBeforeTheCurrentOne) {
    auto opts = options();
    opts.segment_bytes = 256;  // two 100-byte records per segment
    auto j = open_journal(opts);
    for (int i = 0; i < 8; ++i) append_and_wait(*j, {std::string(100, 'p')});
    auto files = segment_files(dir_.path());
    ASSERT_EQ(files.size(), 4u);  // seqs 1-2, 3-4, 5-6, 7-8
    const auto old = std::chrono::hours(24 * 30);
    for (const auto& f : files) set_age(f, old);

    j->mark_applied(4);
    EXPECT_FALSE(j->remove_expired_segments());
    EXPECT_EQ(segment_files(dir_.path()), (std::vector{files[2], files[3]}));

    j->mark_applied(8);
    set_age(files[2], std::chrono::hours(1));  // applied but recent: kept, and all after it
    EXPECT_FALSE(j->remove_expired_segments());
    EXPECT_EQ(segment_files(dir_.path()), (std::vector{files[2], files[3]}));

    set_age(files[2], old);
    EXPECT_FALSE(j->remove_expired_segments());
    EXPECT_EQ(segment_files(dir_.path()), (std::vector{files[3]}));  // the current one stays
    EXPECT_EQ(j->size_bytes(), std::filesystem::file_size(files[3]));

    EXPECT_EQ(seqs_of(read_all(*j, 6)), (std::vector<std::uint64_t>{7, 8}));
    j.reset();
    auto reopened = open_journal(opts);
    EXPECT_EQ(reopened->durable_seq(), 8u);
    EXPECT_EQ(reopened->applied_seq(), 8u);
}

TEST_F(journal_test, OversizedRecordsAndEmptyGroupsAreRefusedWithoutUsingSeqs) {
    auto j = open_journal(options());
    auto too_big = append_and_wait(*j, {"ok", std::string(journal_max_record_bytes + 1, 'x')});
    EXPECT_EQ(too_big.ec, journal_errc::record_too_large);
    EXPECT_EQ(append_and_wait(*j, {}).ec, journal_errc::empty_group);
    EXPECT_EQ(j->durable_seq(), 0u);
    auto largest = append_and_wait(*j, {std::string(journal_max_record_bytes, 'x')});
    EXPECT_FALSE(largest.ec);
    EXPECT_EQ(largest.first_seq, 1u);
    EXPECT_EQ(read_all(*j).at(0).bytes.size(), journal_max_record_bytes);
}

TEST_F(journal_test, SecondJournalOnTheSameDirectoryIsRefused) {
    auto j = open_journal(options());
    std::error_code ec;
    EXPECT_EQ(journal::open(options(), ec), nullptr);
    EXPECT_EQ(ec, std::errc::resource_unavailable_try_again);
}

// A disk whose fdatasync hangs until the test lets it go.
class hanging_file_ops : public journal_file_ops {
  public:
    std::promise<void> entered;
    std::promise<void> release;
    int fdatasync(int fd) override {
        entered.set_value();
        release_future.wait();
        return journal_file_ops::fdatasync(fd);
    }

  private:
    std::shared_future<void> release_future{release.get_future().share()};
};

TEST_F(journal_test, WritingForTellsHowLongTheWriterHasBeenInsideOneWriteAndSync) {
    auto ops = std::make_shared<hanging_file_ops>();
    auto opts = options();
    opts.file_ops = ops;
    auto j = open_journal(opts);
    EXPECT_EQ(j->writing_for(), std::chrono::steady_clock::duration::zero());
    std::promise<std::error_code> done;
    j->append({"a"}, [&done](std::error_code ec, std::uint64_t) { done.set_value(ec); });
    ASSERT_EQ(ops->entered.get_future().wait_for(std::chrono::seconds(10)),
              std::future_status::ready);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_GE(j->writing_for(), std::chrono::milliseconds(300));  // the watchdog sees a hang
    ops->release.set_value();
    auto result = done.get_future();
    ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_FALSE(result.get());
    // Its handler runs inside the write; the writer is out of it right after.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (j->writing_for() != std::chrono::steady_clock::duration::zero() &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(j->writing_for(), std::chrono::steady_clock::duration::zero());
}

}  // namespace
}  // namespace optgate::testing
