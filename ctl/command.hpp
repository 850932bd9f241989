// One optgatectl command as main() sees it: what the parser needs (its spec), its help, and
// the function that runs it. Each command file defines its own; commands.cpp lists them.
#pragma once

#include <string_view>

#include "ctl/command_line.hpp"
#include "ctl/daemon_access.hpp"

namespace optgate::ctl {

struct command {
    command_spec spec;
    std::string_view summary;  // one line in `optgatectl --help`
    std::string_view help;     // the body of `optgatectl NAME --help`, after the synopsis
    bool talks_to_daemon;      // false: no URL or API key is resolved (hash-key)
    int (*run)(const command_line& line, const daemon_access& access);
};

extern const command get_command;
extern const command set_command;
extern const command history_command;
extern const command check_command;
extern const command import_command;
extern const command export_audit_command;
extern const command hash_key_command;
extern const command link_command;
extern const command watch_command;
extern const command feed_status_command;

}  // namespace optgate::ctl
