#include "ctl/commands.hpp"

namespace optgate::ctl {
namespace {

constexpr std::string_view common_help = R"(Common options (every command that talks to the daemon):
  --url URL            the daemon, http://host:port (default: $OPTGATE_URL, else
                       http://127.0.0.1:8080). optgatectl talks to optgated directly, e.g.
                       on the loopback, not through the TLS proxy in front of it.
  --api-key-file FILE  read the API key from FILE (default: $OPTGATE_API_KEY). The key is
                       never an argument: it would show in `ps`.
  --timeout SECONDS    give up when the daemon makes no progress for this long (default: 60)
  --help               this help; `optgatectl COMMAND --help` for a command's

Exit status:
  0  done
  1  failed: the daemon is unreachable, timed out, or answered with a server error (5xx)
  2  usage: bad arguments or input file, or the daemon found the request malformed (400)
  3  refused: the API key is unknown (401) or lacks the role (403)
  4  done, but some rows or inputs were bad and skipped (import, link)
  5  not found (404), e.g. a daemon without unsubscribe_links (link)
)";

}  // namespace

const std::vector<const command*>& all_commands() {
    static const std::vector<const command*> commands{
        &get_command,    &set_command,          &history_command,  &check_command,
        &import_command, &export_audit_command, &hash_key_command, &link_command,
        &watch_command,  &feed_status_command,
    };
    return commands;
}

std::vector<command_spec> all_specs() {
    std::vector<command_spec> specs;
    for (const auto* c : all_commands()) specs.push_back(c->spec);
    return specs;
}

const command* find_command(std::string_view name) {
    for (const auto* c : all_commands())
        if (c->spec.name == name) return c;
    return nullptr;
}

void print_overview(std::ostream& out) {
    out << "usage: optgatectl COMMAND [options]\n\n"
           "The administration tool of optgated, the district's opt-in/opt-out gateway.\n\n"
           "Commands:\n";
    for (const auto* c : all_commands()) {
        std::string name(c->spec.name);
        name.resize(14, ' ');
        out << "  " << name << c->summary << '\n';
    }
    out << '\n' << common_help;
}

void print_help(const command& c, std::ostream& out) {
    out << "usage: optgatectl " << c.spec.synopsis << "\n\n" << c.help << '\n' << common_help;
}

}  // namespace optgate::ctl
