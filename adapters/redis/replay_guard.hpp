// Tokens bound to one request: a webhook whose body is not signed (Mailgun signs only a
// timestamp and a token) binds its token in Redis, for the signature's window, to a
// fingerprint of what the request asks. The same request again (the provider's retry, even
// after a crash between the binding and the journal) is let through, and the journal's
// dedupe keys keep it exactly once; the token with anything else (a captured signature on a
// forged body) is a replay. Across restarts and optgate instances.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "adapters/redis/redis_connection.hpp"
#include "core/token_binder.hpp"

namespace optgate {

// Threads: methods may be called from any thread; handlers run on the connection's strand.
class replay_guard : public token_binder {
  public:
    replay_guard(std::shared_ptr<redis_connection> connection, std::string key_prefix,
                 std::chrono::milliseconds command_deadline = std::chrono::seconds(2));

    // The token's key is "<key_prefix>{<scope>}:token:<token>", holding the fingerprint for
    // `window`.
    void bind(std::string_view scope, std::string_view token, std::string_view fingerprint,
              std::chrono::milliseconds window, bind_handler handler) override;

  private:
    std::string key(std::string_view scope, std::string_view token) const;

    std::shared_ptr<redis_connection> connection_;
    std::string key_prefix_;
    std::chrono::milliseconds command_deadline_;
};

}  // namespace optgate
