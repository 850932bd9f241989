// hash-key: the api_keys line of the daemon's config for a key (its sha256, never the key),
// for a key read from stdin or a new random one. Needs no daemon.
#include <unistd.h>

#include <openssl/rand.h>

#include <iostream>
#include <iterator>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "core/api_key.hpp"
#include "core/digest.hpp"
#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"

namespace optgate::ctl {
namespace {

constexpr std::size_t generated_key_bytes = 32;

// A key goes into an Authorization header: printable ASCII, no spaces.
bool usable_key(std::string_view key) {
    if (key.empty() || key.size() > 4096) return false;
    for (char c : key)
        if (c <= ' ' || c > '~') return false;
    return true;
}

std::optional<std::string> read_key_from_stdin() {
    if (::isatty(STDIN_FILENO) == 1) std::cerr << "the key, then Enter (or Ctrl-D): " << std::flush;
    std::string key((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    // `echo KEY |` adds a newline that `printf %s KEY |` does not: the key is the same.
    if (!key.empty() && key.back() == '\n') key.pop_back();
    if (!key.empty() && key.back() == '\r') key.pop_back();
    if (!usable_key(key)) return std::nullopt;
    return key;
}

std::optional<std::string> generate_key() {
    unsigned char raw[generated_key_bytes];
    if (RAND_bytes(raw, sizeof raw) != 1) return std::nullopt;
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
}

int run_hash_key(const command_line& line, const daemon_access&) {
    std::string roles;
    for (const auto& r : line.all("role"))
        for (const auto& name : split_list(r)) {
            if (!parse_role(name)) {
                complain("--role is check, admin, audit or feed");
                return exit_usage;
            }
            roles += (roles.empty() ? "" : ", ") + name;
        }
    if (roles.empty()) roles = "check";
    const bool generate = line.flag("generate");
    const auto key = generate ? generate_key() : read_key_from_stdin();
    if (!key) {
        complain(generate ? "OpenSSL could not generate random bytes"
                          : "no key on stdin (printable ASCII without spaces expected)");
        return generate ? exit_failed : exit_usage;
    }
    const auto name = line.value("name").value_or("CHANGE-ME");
    if (generate) {
        std::cout << *key << '\n';
        std::cerr << "hash-key: the first line is the new key: give it to its client now; it is "
                     "shown once and stored nowhere. The second goes under api_keys: in the "
                     "daemon's config.\n";
    }
    std::cout << "  - { name: " << boost::json::serialize(boost::json::string(name))
              << ", sha256: \"" << to_hex(sha256(*key)) << "\", roles: [" << roles << "] }\n";
    return exit_ok;
}

}  // namespace

const command hash_key_command{
    {"hash-key",
     "hash-key [--generate] [--name NAME] [--role ROLE]...",
     {{"generate", option_kind::flag},
      {"name", option_kind::value},
      {"role", option_kind::repeated}},
     0,
     0},
    "the config line of an API key (its sha256); works without a daemon",
    R"(Reads a key from stdin (one trailing newline is not part of it) and prints its line for
the api_keys list of the daemon's config: the key's sha256, never the key itself. The hash
is that of `printf %s KEY | sha256sum`.

  --generate    make a new random key instead (32 bytes from OpenSSL, base64url): it is
                printed once, on the first line, before the config line
  --name NAME   the key's name in the config, recorded as the actor of its admin changes
                (default: CHANGE-ME)
  --role ROLE   check, admin, audit or feed (repeatable, or a list; default: check)
)",
    false,
    run_hash_key};

}  // namespace optgate::ctl
