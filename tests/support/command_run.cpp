#include "tests/support/command_run.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {
namespace {

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// In the child, between fork and exec: redirect, set the environment, run.
[[noreturn]] void exec_child(std::vector<std::string>& argv, const command_options& options,
                             const std::filesystem::path& out, const std::filesystem::path& err) {
    const std::string in = options.stdin_file ? options.stdin_file->string() : "/dev/null";
    const int in_fd = ::open(in.c_str(), O_RDONLY);
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in_fd < 0 || out_fd < 0 || err_fd < 0) ::_exit(126);
    ::dup2(in_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    for (const auto& [name, value] : options.env) {
        if (value)
            ::setenv(name.c_str(), value->c_str(), 1);
        else
            ::unsetenv(name.c_str());
    }
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
}

}  // namespace

command_result run_command(std::vector<std::string> argv, const command_options& options) {
    temp_dir dir("command");
    const auto out = dir.path() / "stdout", err = dir.path() / "stderr";
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) exec_child(argv, options, out, err);
    command_result result;
    int status = 0;
    const bool exited =
        wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, options.timeout);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    } else {
        result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    result.out = file_text(out);
    result.err = file_text(err);
    return result;
}

const char* optgatectl_path() {
    return OPTGATECTL_PATH;
}

}  // namespace optgate::testing
