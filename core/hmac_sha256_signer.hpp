// HMAC-SHA256 under one key, for signing many messages in a row: the algorithm is fetched
// and the key set once, where the one-shot hmac_sha256 does both on every call (about half
// the time of issuing a district's unsubscribe links).
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;

namespace optgate {

// Not thread-safe: one signer per thread (or per request).
class hmac_sha256_signer {
  public:
    explicit hmac_sha256_signer(std::string_view key);
    // Raw 32 bytes, equal to hmac_sha256(key, message).
    std::string sign(std::string_view message);

  private:
    struct context_free {
        void operator()(evp_mac_ctx_st* ctx) const;
    };
    std::unique_ptr<evp_mac_ctx_st, context_free> context_;
};

}  // namespace optgate
