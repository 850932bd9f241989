// optgatectl's arguments, parsed in one place: the command, its options (`--name VALUE`,
// `--name=VALUE`, flags, repeatable options) and its operands, checked against the spec the
// command declares. Pure: no I/O, so every rule is unit-tested.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace optgate::ctl {

enum class option_kind {
    flag,      // --json
    value,     // --channel sms (at most once)
    repeated,  // --phone-column Mobile --phone-column Home
};

struct option_spec {
    std::string_view name;  // without the leading "--"
    option_kind kind;
};

struct command_spec {
    std::string_view name;
    std::string_view synopsis;  // "get ADDRESS [--json]", shown on a usage error
    std::vector<option_spec> options;
    std::size_t min_operands = 0;
    std::size_t max_operands = 0;
};

// --url, --api-key-file, --timeout and --help: accepted by every command, before or after it.
const std::vector<option_spec>& common_options();

struct command_line {
    std::string command;  // empty when none was given (optgatectl --help, --version)
    bool help = false;
    bool version = false;
    std::map<std::string, std::vector<std::string>, std::less<>> values;
    std::set<std::string, std::less<>> flags;
    std::vector<std::string> operands;

    bool flag(std::string_view name) const;
    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> all(std::string_view name) const;  // every value of a repeated option
};

struct usage_error {
    std::string message;
    std::string command;  // the command it concerns, if known: its help is shown
};

// `args` without the program name. A usage error names what is wrong: an unknown command or
// option, a missing value, an option given twice, the wrong number of operands, or an API
// key on the command line (it would show in `ps`).
std::variant<command_line, usage_error> parse_command_line(const std::vector<std::string>& args,
                                                           const std::vector<command_spec>& specs);

// "sms,voice" -> {"sms", "voice"}; empty items are dropped.
std::vector<std::string> split_list(std::string_view text);

}  // namespace optgate::ctl
