#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace optgate::testing {

child_process::child_process(std::vector<std::string> argv, std::filesystem::path log,
                             std::vector<std::string> environment)
    : log_(std::move(log)) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    // Built before the fork: the child of a threaded test may only exec. A variable the test
    // sets replaces the test's own of that name.
    std::vector<char*> env;
    for (auto& variable : environment) env.push_back(variable.data());
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view name(*e, std::strcspn(*e, "="));
        if (std::none_of(environment.begin(), environment.end(), [&](const std::string& v) {
                return v.size() > name.size() && v.compare(0, name.size(), name) == 0 &&
                       v[name.size()] == '=';
            }))
            env.push_back(*e);
    }
    env.push_back(nullptr);
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + log_.string());
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        const int devnull = ::open("/dev/null", O_RDONLY);
        ::dup2(devnull, STDIN_FILENO);
        ::execvpe(args[0], args.data(), env.data());
        ::_exit(127);
    }
    ::close(fd);
}

child_process::~child_process() {
    if (running()) stop(SIGKILL, std::chrono::seconds(5));
}

bool child_process::running() {
    if (pid_ <= 0 || status_) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
}

std::optional<int> child_process::stop(int signal, std::chrono::milliseconds timeout) {
    if (!running()) return status_;
    ::kill(pid_, signal);
    if (wait_until([&] { return !running(); }, timeout)) return status_;
    ::kill(pid_, SIGKILL);
    wait_until([&] { return !running(); }, std::chrono::seconds(5));
    return std::nullopt;
}

std::string child_process::log_text() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace optgate::testing
