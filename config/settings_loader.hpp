// Reading and validating the configuration file: the one place where YAML becomes settings.
// Any problem throws config_error naming the key and its line; the daemon refuses to start.
#pragma once

#include <filesystem>
#include <string_view>

#include "config/config_error.hpp"
#include "config/settings.hpp"

namespace optgate {

// Reads `file` and parses it; relative paths inside resolve against the file's directory.
settings load_settings(const std::filesystem::path& file);

// Parses a configuration already in memory. Relative paths in it (journal.dir, `*_file`
// secrets, providers.ses.certificate_file) resolve against `base_dir`.
settings parse_settings(std::string_view yaml_text, const std::filesystem::path& base_dir);

}  // namespace optgate
