// A generated SNS signing certificate in a temporary directory, for config texts that name
// /etc/optgate/sns.pem as SPEC and the example config do: the loader reads and parses the
// certificate, so the file must exist and hold one.
#pragma once

#include <filesystem>
#include <string>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificate.hpp"

namespace optgate::test {

class sns_certificate_file {
  public:
    sns_certificate_file() { key().write(path()); }

    const std::filesystem::path& dir() const { return dir_.path(); }
    std::filesystem::path path() const { return dir_.path() / "sns.pem"; }

    // `text` with every "/etc/optgate/sns.pem" replaced by this file's path.
    std::string in(std::string text) const {
        const std::string from = "/etc/optgate/sns.pem";
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at))
            text.replace(at, from.size(), path().string());
        return text;
    }

  private:
    static const testing::test_certificate& key() {
        static const testing::test_certificate shared;  // RSA key generation takes a while
        return shared;
    }
    testing::temp_dir dir_{"sns-cert"};
};

}  // namespace optgate::test
