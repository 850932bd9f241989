// Configuration texts for the config tests: the smallest valid file, and ways to vary it
// line by line so that the expected error lines stay easy to read.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

#include "config/settings_loader.hpp"

namespace optgate::test {

// Lines 1 to 9; a test appends its own section from line 10.
inline constexpr std::string_view minimal_config = R"(listen: "127.0.0.1:8080"
public_url: "https://optgate.example.org/"
redis:
  url: "redis://127.0.0.1:6379/0"
journal:
  dir: "/var/lib/optgate/journal"
programs:
  district: { default: opted_in }
  emergency: { default: opted_in }
)";

inline settings parse(std::string_view text, const std::filesystem::path& base = "/etc/optgate") {
    return parse_settings(text, base);
}

// The message of the config_error the text is refused with, or "" when it is accepted.
inline std::string error_of(std::string_view text) {
    try {
        parse_settings(text, "/etc/optgate");
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

// minimal_config with the top-level entry `key` (and its indented lines) replaced by one
// line `key: value`, or dropped when `value` is empty.
inline std::string replaced(std::string_view key, const std::string& value) {
    std::istringstream in{std::string(minimal_config)};
    std::string out;
    bool in_entry = false;
    for (std::string line; std::getline(in, line);) {
        if (in_entry && line.starts_with(' ')) continue;
        in_entry = line.starts_with(std::string(key) + ":");
        if (!in_entry) {
            out += line + "\n";
        } else if (!value.empty()) {
            out += std::string(key) + ": " + value + "\n";
        }
    }
    return out;
}

inline std::string with(std::string_view key, const std::string& value) {
    return replaced(key, value);
}
inline std::string without(std::string_view key) {
    return replaced(key, "");
}

}  // namespace optgate::test
