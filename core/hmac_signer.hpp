// HMAC under one key, for signing many messages in a row: the algorithm is fetched and the
// key set once, where OpenSSL's one-shot HMAC() does both on every call (about half the time
// of issuing a district's unsubscribe links, and of checking a Twilio signature).
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;

namespace optgate {

// Not thread-safe: one signer per thread (or per request).
class hmac_signer {
  public:
    // `digest` as OpenSSL names it: "SHA1", "SHA256".
    hmac_signer(std::string_view digest, std::string_view key);
    // The raw MAC of `message` under the key, as if it were the first.
    std::string sign(std::string_view message);

  private:
    struct context_free {
        void operator()(evp_mac_ctx_st* ctx) const;
    };
    std::unique_ptr<evp_mac_ctx_st, context_free> context_;
};

}  // namespace optgate
