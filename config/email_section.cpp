#include "config/email_section.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "config/program_references.hpp"

namespace optgate {
namespace {

// The first configured provider whose unsubscribes and complaints opt out of
// email.unsubscribe_programs (optgate's own links name their program in the token).
std::optional<config_node> first_email_provider(const config_node& providers, const settings& out) {
    const config_map configured(providers);
    const std::array<std::pair<std::string_view, bool>, 4> email_providers{{
        {"sendgrid", out.providers.sendgrid.has_value()},
        {"mailgun", out.providers.mailgun.has_value()},
        {"postmark", out.providers.postmark.has_value()},
        {"ses", out.providers.ses.has_value()},
    }};
    for (const auto& [name, present] : email_providers)
        if (present) return configured.find(name);
    return std::nullopt;
}

void read_unsubscribe_programs(const config_node& node, const config_map& email,
                               const config_node& providers, settings& out) {
    const auto programs = email.find("unsubscribe_programs");
    out.email.unsubscribe_programs = read_program_list(programs, out);
    if (!out.email.unsubscribe_programs.empty()) return;
    // An unsubscribe that stops nothing is answered 200 and lost: the family keeps getting
    // the email it refused. Written in the file, that is never a policy, whatever the
    // providers.
    if (programs)
        programs->fail(
            "an email unsubscribe must stop at least one program: expected a list of the "
            "programs it opts out of");
    // Left out, with no `district` to default to: harmless until an email provider is
    // configured, whose every unsubscribe would then change nothing.
    const auto provider = first_email_provider(providers, out);
    if (!provider) return;
    // Named at the `email:` section if the file has one, else at the provider that needs it.
    const int line = node.yaml().IsNull() ? provider->line() : node.line();
    config_node(YAML::Node(), "email.unsubscribe_programs", line)
        .fail(
            "missing required value: there is no program named district to default to, so "
            "every unsubscribe from " +
            provider->path() + " would change nothing; list the programs it opts out of (" +
            "configured: " + configured_program_names(out) + ")");
}

}  // namespace

void read_email(const config_node& node, const config_node& providers, settings& out) {
    const config_map email(node, {"unsubscribe_programs", "groups"});
    read_unsubscribe_programs(node, email, providers, out);
    if (auto groups = email.find("groups")) {
        const config_map group_map(*groups);
        for (const auto& [id, program] : group_map.entries()) {
            if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
                program.fail("expected a numeric group id as key");
            out.email.groups.emplace(id, read_program_name(program, out));
        }
    }
}

}  // namespace optgate
