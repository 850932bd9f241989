// A command run to completion by an end-to-end test (the built optgatectl, sha256sum): its
// environment and stdin under the test's control, its exit status, stdout and stderr apart.
// Killed by its pid if it outlives its timeout.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace optgate::testing {

struct command_options {
    // Variables set (a value) or removed (nullopt) in the command's environment.
    std::map<std::string, std::optional<std::string>> env;
    std::optional<std::filesystem::path> stdin_file;  // default: /dev/null
    std::chrono::milliseconds timeout{60000};
};

struct command_result {
    int status = -1;  // the exit status, 128 + a signal, or -1 when it timed out (killed)
    std::string out;
    std::string err;
};

// argv[0] is searched in PATH.
command_result run_command(std::vector<std::string> argv, const command_options& options = {});

// The built optgatectl.
const char* optgatectl_path();

}  // namespace optgate::testing
