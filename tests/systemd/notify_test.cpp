// The built optgated talks to systemd as optgate.service expects (Type=notify, WatchdogSec=):
// READY=1 once it listens, WATCHDOG=1 from its event loop every sixth of WATCHDOG_USEC (while
// nothing is stuck for half of it), STOPPING=1 on SIGTERM. The test plays systemd: it binds
// the NOTIFY_SOCKET datagram socket itself.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {
namespace {

using namespace std::chrono_literals;

// systemd's end of sd_notify: a unix datagram socket; each datagram is newline-separated
// assignments ("READY=1", "WATCHDOG=1").
class notify_socket {
  public:
    explicit notify_socket(std::filesystem::path path) : path_(std::move(path)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket(AF_UNIX) failed");
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (path_.string().size() >= sizeof(address.sun_path))
            throw std::runtime_error("socket path too long: " + path_.string());
        std::copy_n(path_.c_str(), path_.string().size(), address.sun_path);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
            throw std::runtime_error("cannot bind " + path_.string());
    }
    ~notify_socket() { ::close(fd_); }
    notify_socket(const notify_socket&) = delete;
    notify_socket& operator=(const notify_socket&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // Collects assignments until `done` holds for all received so far, or `timeout` passes.
    bool receive_until(const std::function<bool(const std::vector<std::string>&)>& done,
                       std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done(received_)) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left <= 0ms) return false;
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
            char buffer[4096];
            const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
            if (n <= 0) continue;
            std::string datagram(buffer, static_cast<std::size_t>(n));
            for (std::size_t start = 0; start < datagram.size();) {
                const auto end = std::min(datagram.find('\n', start), datagram.size());
                if (end > start) received_.push_back(datagram.substr(start, end - start));
                start = end + 1;
            }
        }
        return true;
    }
    const std::vector<std::string>& received() const { return received_; }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::vector<std::string> received_;
};

std::size_t count(const std::vector<std::string>& messages, const std::string& message) {
    return static_cast<std::size_t>(std::count(messages.begin(), messages.end(), message));
}

// Everything received, for failure messages.
std::string joined(const std::vector<std::string>& messages) {
    std::string text;
    for (const auto& m : messages) text += m + " ";
    return text;
}

class SystemdNotify : public ::testing::Test {
  protected:
    // Starts optgated with NOTIFY_SOCKET (and WATCHDOG_USEC when given) in its environment
    // only: they are set around the fork and removed at once.
    std::unique_ptr<child_process> start_daemon(const char* watchdog_usec) {
        const auto config = dir_.path() / "optgate.yaml";
        std::string yaml = default_test_config(redis_.url(), "systemd-notify:");
        const std::string placeholder = "{journal_dir}";
        yaml.replace(yaml.find(placeholder), placeholder.size(),
                     (dir_.path() / "journal").string());
        std::ofstream(config) << yaml;
        ::setenv("NOTIFY_SOCKET", notify_.path().c_str(), 1);
        if (watchdog_usec) ::setenv("WATCHDOG_USEC", watchdog_usec, 1);
        auto daemon = std::make_unique<child_process>(
            std::vector<std::string>{optgated_path(), "--config", config.string()},
            dir_.path() / "optgated.log");
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        return daemon;
    }

    redis_server redis_;
    temp_dir dir_{"notify"};
    notify_socket notify_{dir_.path() / "notify.sock"};
};

TEST_F(SystemdNotify, ReadyThenWatchdogPingsFromTheLoopThenStopping) {
    const auto daemon = start_daemon("200000");  // 200 ms: a ping every 33 ms
    const auto ready_and_two_pings = [](const std::vector<std::string>& received) {
        const auto ready = std::find(received.begin(), received.end(), "READY=1");
        return ready != received.end() &&
               std::count(ready, received.end(), std::string("WATCHDOG=1")) >= 2;
    };
    ASSERT_TRUE(notify_.receive_until(ready_and_two_pings, 10s))
        << "received: " << joined(notify_.received()) << "\n"
        << daemon->log_text();

    const auto stopped = daemon->stop(SIGTERM, 20s);
    ASSERT_TRUE(stopped.has_value()) << daemon->log_text();
    EXPECT_EQ(*stopped, 0) << daemon->log_text();
    EXPECT_TRUE(notify_.receive_until(
        [](const auto& received) { return count(received, "STOPPING=1") == 1; }, 5s))
        << "received: " << joined(notify_.received());
}

// Without WATCHDOG_USEC (no WatchdogSec=) there is nothing to ping: READY and STOPPING only.
TEST_F(SystemdNotify, NoWatchdogPingsWithoutWatchdogUsec) {
    const auto daemon = start_daemon(nullptr);
    ASSERT_TRUE(notify_.receive_until(
        [](const auto& received) { return count(received, "READY=1") == 1; }, 10s))
        << daemon->log_text();
    const auto stopped = daemon->stop(SIGTERM, 20s);
    ASSERT_TRUE(stopped.has_value()) << daemon->log_text();
    EXPECT_EQ(*stopped, 0) << daemon->log_text();
    ASSERT_TRUE(notify_.receive_until(
        [](const auto& received) { return count(received, "STOPPING=1") == 1; }, 5s));
    EXPECT_EQ(count(notify_.received(), "WATCHDOG=1"), 0u) << joined(notify_.received());
}

}  // namespace
}  // namespace optgate::testing
