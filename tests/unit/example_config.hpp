// config/optgate.example.yaml parsed as an operator installs it: beside the SNS signing
// certificate it names (/etc/optgate/sns.pem, here a generated one), which the loader reads.
#pragma once

#include <fstream>
#include <iterator>
#include <string>

#include "config/settings_loader.hpp"
#include "sns_certificate_file.hpp"

namespace optgate::test {

inline settings load_example_config() {
    std::ifstream file(OPTGATE_SOURCE_DIR "/config/optgate.example.yaml");
    const std::string text{std::istreambuf_iterator<char>(file), {}};
    const sns_certificate_file sns;
    return parse_settings(sns.in(text), OPTGATE_SOURCE_DIR "/config");
}

}  // namespace optgate::test
