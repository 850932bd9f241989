// A process a test starts (redis-server, optgated), with its output in a file. Stopped by
// its pid, never by name, and always reaped: the destructor kills what is still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace optgate::testing {

class child_process {
  public:
    // Starts argv[0] (searched in PATH) with stdout and stderr appended to `log`, and
    // `environment` ("NAME=value") added to the test's own.
    child_process(std::vector<std::string> argv, std::filesystem::path log,
                  std::vector<std::string> environment = {});
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    // Sends `signal` and waits for the exit; returns the exit status (or 128+signal), or
    // nullopt if it did not exit within `timeout` (then it is killed).
    std::optional<int> stop(int signal, std::chrono::milliseconds timeout);
    std::string log_text() const;
    const std::filesystem::path& log_path() const { return log_; }

  private:
    pid_t pid_ = -1;
    std::optional<int> status_;
    std::filesystem::path log_;
};

// Polls `condition` every few milliseconds until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace optgate::testing
