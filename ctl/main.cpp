// optgatectl: the administration tool of optgated, over its HTTP API. Parses the command
// line, resolves the daemon's URL and API key, and runs one command; see --help.
#include <iostream>
#include <variant>

#include "ctl/commands.hpp"
#include "ctl/exit_status.hpp"

using namespace optgate::ctl;

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = parse_command_line(args, all_specs());
    if (const auto* error = std::get_if<usage_error>(&parsed)) {
        complain(error->message);
        std::cerr << (error->command.empty()
                          ? "run `optgatectl --help` for the commands\n"
                          : "run `optgatectl " + error->command + " --help` for its options\n");
        return exit_usage;
    }
    const auto& line = std::get<command_line>(parsed);
    if (line.version) {
        std::cout << "optgatectl " OPTGATE_VERSION "\n";
        return exit_ok;
    }
    const command* c = find_command(line.command);
    if (line.help || !c) {
        c ? print_help(*c, std::cout) : print_overview(std::cout);
        return exit_ok;
    }
    daemon_access access;
    if (c->talks_to_daemon) {
        std::string problem;
        auto resolved = resolve_daemon_access(line, process_environment, true, problem);
        if (!resolved) {
            complain(problem);
            return exit_usage;
        }
        access = std::move(*resolved);
    }
    try {
        return c->run(line, access);
    } catch (const std::exception& e) {
        complain(e.what());
        return exit_failed;
    }
}
