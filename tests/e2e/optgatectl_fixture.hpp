// What the optgatectl end-to-end tests share: the built optgatectl run as a process against a
// test's daemon (its URL, the test's API key in OPTGATE_API_KEY), and files for its input.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/command_run.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {

class optgatectl_test : public e2e_test {
  protected:
    // optgatectl ARGS with --url of `daemon` and OPTGATE_API_KEY=`api_key`.
    static command_result ctl(const daemon_process& daemon, std::vector<std::string> args,
                              command_options options = {},
                              const std::string& api_key = test_api_key);
    // optgatectl ARGS, nothing added; OPTGATE_URL and OPTGATE_API_KEY unset unless given.
    static command_result ctl_alone(std::vector<std::string> args, command_options options = {});

    // Writes `text` to a file of this test's directory; returns its path.
    std::filesystem::path write_file(const std::string& name, const std::string& text) const;
    const std::filesystem::path& dir() const { return files_.path(); }

  private:
    temp_dir files_{"ctl"};
};

// The lines of a text, without their ends ("\n" or "\r\n").
std::vector<std::string> lines_of(const std::string& text);

}  // namespace optgate::testing
