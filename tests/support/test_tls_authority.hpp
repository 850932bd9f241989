// A certificate authority made for one test, and a server certificate it issues for
// 127.0.0.1 and localhost: what a webhook receiver on loopback presents, and the PEM that
// optgate's feed.webhooks[].ca_file trusts.
#pragma once

#include <filesystem>
#include <string>

namespace optgate::testing {

class test_tls_authority {
  public:
    // New EC P-256 keys (fast to make); `name` is the authority's common name.
    explicit test_tls_authority(const std::string& name = "optgate test CA");

    const std::string& ca_pem() const { return ca_pem_; }
    const std::string& server_certificate_pem() const { return server_pem_; }
    const std::string& server_key_pem() const { return server_key_pem_; }
    // Writes the authority's certificate to `file` and returns its path.
    std::filesystem::path write_ca(const std::filesystem::path& file) const;

  private:
    std::string ca_pem_, server_pem_, server_key_pem_;
};

}  // namespace optgate::testing
