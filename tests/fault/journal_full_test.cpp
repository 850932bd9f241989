// A journal that cannot be written (SPEC rule 5): the journal's filesystem is full, so no
// STOP may be acknowledged (503, which Twilio retries, never 2xx), /readyz says the journal
// is failing and the log says why; a family pressing an unsubscribe link's button reads a
// page that asks to try again. Once space returns, STOPs are acknowledged again and the
// daemon is ready. Acknowledged STOPs are opted out and audited once; refused ones are not.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "tests/fault/fault_fixture.hpp"
#include "tests/support/root_only.hpp"
#include "tests/support/stop_load.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/unsubscribe_links.hpp"

namespace optgate::testing {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

// A small tmpfs mounted on a fresh directory, lazily unmounted (and the directory removed)
// however the test ends. Needs root (CAP_SYS_ADMIN); mounted() says whether it worked.
class tmpfs_mount {
  public:
    explicit tmpfs_mount(const std::string& options) {
        if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, options.c_str()) == 0)
            mounted_ = true;
        else
            error_ = std::strerror(errno);
    }
    ~tmpfs_mount() {
        if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
    }
    tmpfs_mount(const tmpfs_mount&) = delete;
    tmpfs_mount& operator=(const tmpfs_mount&) = delete;

    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }
    const std::filesystem::path& path() const { return dir_.path(); }

  private:
    temp_dir dir_{"tmpfs"};
    bool mounted_ = false;
    std::string error_;
};

// Writes `file` until the filesystem refuses (ENOSPC); the bytes written, or -1 if it failed
// otherwise.
long long fill_up(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    const std::string chunk(64 * 1024, 'x');
    long long total = 0;
    for (;;) {
        const auto n = ::write(fd, chunk.data(), chunk.size());
        if (n > 0) {
            total += n;
            continue;
        }
        const bool full = n < 0 && errno == ENOSPC;
        if (n < 0 && errno == EINTR) continue;
        ::close(fd);
        return full ? total : -1;
    }
}

class JournalFull : public fault_test {};

TEST_F(JournalFull, JournalCannotBeWritten) {
    tmpfs_mount disk("size=2m");
    if (!disk.mounted())
        OPTGATE_SKIP_WITHOUT_ROOT("cannot mount a tmpfs for the journal ("
                                  << disk.error() << "); this test needs root");
    // Its own journal dir; the daemon journals nothing before the disk is full.
    daemon_process daemon(config(unsubscribe_links_yaml), disk.path());
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    const std::string family_email = "jane@example.org";
    const auto link = unsubscribe_link_path(daemon, family_email);  // issuing journals nothing

    const auto filler = disk.path() / "filler";
    const auto filled = fill_up(filler);
    ASSERT_GT(filled, 0) << "could not fill the tmpfs";
    const auto fault_start = steady_clock::now();
    std::atomic<std::uint16_t> port{daemon.port()};
    stop_load load([&] { return port.load(); });

    ASSERT_TRUE(wait_until([&] { return load.counts().refused >= 40; }, seconds(10)))
        << daemon.log_text();
    const auto ready_while_full = readiness_of(daemon);
    EXPECT_EQ(ready_while_full.status, 503);
    EXPECT_EQ(value_of(ready_while_full.body, "ready"), json::value(false));
    EXPECT_EQ(value_of(ready_while_full.body, "journal"), json::value("failing"));
    EXPECT_EQ(value_of(ready_while_full.body, "redis"), json::value("ok"));
    // The operator reads why: the error of the failed write is in the log.
    EXPECT_NE(daemon.log_text().find(std::strerror(ENOSPC)), std::string::npos)
        << daemon.log_text();
    // The family pressing the button reads that nothing changed, and gets the button again.
    const auto click = one_click(daemon, link);
    EXPECT_EQ(click.status, 503) << click.body;
    EXPECT_EQ(header_of(click, "content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(header_of(click, "retry-after"), "60");
    EXPECT_NE(click.body.find("<h1>Please try again in a minute</h1>"), std::string::npos)
        << click.body;
    EXPECT_NE(click.body.find("<button type=\"submit\">Try again</button>"), std::string::npos);

    const auto fault_end = steady_clock::now();
    std::filesystem::remove(filler);
    // Space is back: STOPs (new ones and retried ones) are acknowledged, the daemon is ready.
    EXPECT_TRUE(wait_until([&] { return load.counts().acknowledged >= 40; }, seconds(10)))
        << daemon.log_text();
    EXPECT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    load.stop();
    load.join();
    const auto counts = load.counts();

    // Every attempt answered while the disk was full was refused with 503, never 2xx.
    std::size_t during_fault = 0, wrongly_answered = 0;
    for (const auto& a : load.attempts()) {
        if (a.sent < fault_start || a.answered > fault_end) continue;
        ++during_fault;
        if (a.status != 503) ++wrongly_answered;
    }
    EXPECT_GE(during_fault, 40u);
    EXPECT_EQ(wrongly_answered, 0u) << "attempts answered other than 503 while the disk was full";

    ASSERT_TRUE(wait_until_caught_up(daemon, seconds(30))) << daemon.log_text();
    const auto verdict = verify_acknowledged(daemon, redis_, key_prefix(), load.acknowledged());
    // A STOP refused with 503 on every attempt was never journaled: nothing changed.
    std::vector<std::string> refused_only;
    for (const auto& s : load.log()) {
        bool all_503 = !s.statuses.empty();
        for (const int status : s.statuses) all_503 = all_503 && status == 503;
        if (all_503) refused_only.push_back(s.from);
    }
    std::size_t refused_but_opted_out = 0;
    if (!refused_only.empty()) {
        const auto opted_out = opted_out_of(daemon, refused_only);
        ASSERT_TRUE(opted_out.has_value());
        refused_but_opted_out =
            static_cast<std::size_t>(std::count(opted_out->begin(), opted_out->end(), true));
    }
    EXPECT_EQ(refused_but_opted_out, 0u) << "STOPs never acknowledged changed consent";

    // The click refused while the disk was full changed nothing; pressed again, it is taken.
    const auto email_reason = [&] {
        const auto r = post_check(daemon, "email", "district", {family_email});
        const auto body = parse_json(r.body);
        const auto* results = body.is_object() ? body.as_object().if_contains("results") : nullptr;
        if (r.status != 200 || !results || !results->is_array() || results->as_array().empty())
            return "check answered " + std::to_string(r.status) + ": " + r.body;
        return json::serialize(value_of(results->as_array()[0].as_object(), "reason"));
    };
    EXPECT_EQ(email_reason(), "\"default\"");
    EXPECT_EQ(one_click(daemon, link).status, 200);
    EXPECT_EQ(email_reason(), "\"opted_out\"");

    // The failed segments the full disk left behind do not keep the daemon from restarting.
    EXPECT_EQ(daemon.stop(), 0) << daemon.log_text();
    daemon.start();
    EXPECT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    const auto after_restart = opted_out_of(daemon, load.acknowledged());
    ASSERT_TRUE(after_restart.has_value());
    EXPECT_EQ(std::count(after_restart->begin(), after_restart->end(), false), 0);

    std::cout << "[fault] journal full (" << filled / 1024
              << " KiB filler): attempts answered while full: " << during_fault
              << " (not 503: " << wrongly_answered
              << "); STOPs acknowledged: " << counts.acknowledged << " (" << counts.after_retry
              << " on a retry), refused on every attempt: " << refused_only.size()
              << " (opted out: " << refused_but_opted_out << "); opted out: " << verdict.opted_out
              << ", audited once: " << verdict.audited_once << "\n";
}

}  // namespace
}  // namespace optgate::testing
