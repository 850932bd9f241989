// config/optgate.example.yaml parsed as an operator installs it: each "replace-with-..."
// placeholder replaced by a value (which the loader refuses until it is), beside the SNS
// signing certificate it names (/etc/optgate/sns.pem, here a generated one).
#pragma once

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "config/settings_loader.hpp"
#include "sns_certificate_file.hpp"

namespace optgate::test {

inline std::string example_config_text() {
    std::ifstream file(OPTGATE_SOURCE_DIR "/config/optgate.example.yaml");
    return std::string{std::istreambuf_iterator<char>(file), {}};
}

// The example with its placeholders filled as an operator fills them: a verification key as
// SendGrid shows one, distinct API key hashes, and a random-looking text for each secret.
inline std::string filled_example_config() {
    std::string text = std::regex_replace(
        example_config_text(), std::regex(R"(public_key: "replace-with-[^"]*")"),
        R"(public_key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQc4zQOwjoMYm/pw5jZK7I6d4d+wBajLudAzIAPrzSaSHeGISGref0Jqzx3xkUTUKT+0TVKGqNuB0fP3Sa5Z0xg==")");
    int key = 0;
    std::smatch m;
    while (std::regex_search(text, m, std::regex(R"(sha256: "replace-with-[^"]*")")))
        text.replace(m.position(0), m.length(0),
                     "sha256: \"" + std::string(63, 'a') + std::to_string(key++) + "\"");
    return std::regex_replace(text, std::regex(R"("replace-with-[^"]*")"),
                              R"("a-real-secret-of-32-or-more-characters")");
}

inline settings load_example_config() {
    const sns_certificate_file sns;
    return parse_settings(sns.in(filled_example_config()), OPTGATE_SOURCE_DIR "/config");
}

}  // namespace optgate::test
