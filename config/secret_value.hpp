// Secrets (tokens, keys, passwords, the Redis URL) given inline, as `${ENV_VAR}`, or as a
// sibling `<key>_file: /path` such as a systemd credential. Errors name the key, the variable
// or the path, never the secret itself.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_node.hpp"

namespace optgate {

// The secret under `key` (or `<key>_file`) of `map`, or nullopt when neither is given. A
// relative `_file` path resolves against `base_dir`, the config file's directory. An empty
// secret is refused: it would make every signature check trivially forgeable or fail.
std::optional<std::string> read_secret(const config_map& map, std::string_view key,
                                       const std::filesystem::path& base_dir);

// How the example config's placeholders begin ("replace-with-the-twilio-auth-token"). A value
// that still holds one is refused, naming its key: an installation that forgot a line must
// not run with a secret published in the example.
inline constexpr std::string_view example_placeholder_prefix = "replace-with-";

// Fails `node` if its text is still the example's placeholder.
void refuse_example_placeholder(const config_node& node, std::string_view text);

// As read_secret, but a secret that is not given is an error.
std::string require_secret(const config_map& map, std::string_view key,
                           const std::filesystem::path& base_dir);

}  // namespace optgate
