// Tokens that may be used once: a webhook whose body is not signed (Mailgun signs only a
// timestamp and a token) claims its token in Redis with SET NX PX, so that a captured request
// replayed within the signature's window is refused, across restarts and optgate instances.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "adapters/redis/redis_connection.hpp"

namespace optgate {

// Threads: methods may be called from any thread; handlers run on the connection's strand.
class replay_guard {
  public:
    replay_guard(std::shared_ptr<redis_connection> connection, std::string key_prefix,
                 std::chrono::milliseconds command_deadline = std::chrono::seconds(2));

    // `claimed` is true when the token was free and is now held for `window`; false when it
    // was already claimed. An error (Redis unreachable or slow) claims nothing.
    using claim_handler = std::function<void(std::error_code, bool claimed)>;
    // `scope` names who issued the token ("mailgun"); its key is
    // "<key_prefix>{<scope>}:token:<token>".
    void claim(std::string_view scope, std::string_view token, std::chrono::milliseconds window,
               claim_handler handler);

    // Frees a claimed token, e.g. after the request that claimed it failed, so that the
    // provider's retry of the same request is not refused as a replay.
    void release(std::string_view scope, std::string_view token,
                 std::function<void(std::error_code)> handler);

  private:
    std::string key(std::string_view scope, std::string_view token) const;

    std::shared_ptr<redis_connection> connection_;
    std::string key_prefix_;
    std::chrono::milliseconds command_deadline_;
};

}  // namespace optgate
