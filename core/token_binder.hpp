// Tokens bound to one request, for webhooks whose body is not signed (Mailgun signs only a
// timestamp and a token): the token is bound to a fingerprint of what the request asks, for
// the signature's window. The Redis replay guard implements it; tests/unit/http fakes it.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>
#include <system_error>

namespace optgate {

enum class token_use {
    first,  // the token was free and is now bound to this fingerprint
    again,  // bound to this same fingerprint before: the same request again
    other,  // bound to another fingerprint: a replay
};

class token_binder {
  public:
    virtual ~token_binder() = default;

    // An error (the store unreachable or slow) binds nothing that counts: the request is
    // refused and its retry finds the token free or bound to the same fingerprint.
    using bind_handler = std::function<void(std::error_code, token_use)>;
    // `scope` names who issued the token ("mailgun").
    virtual void bind(std::string_view scope, std::string_view token, std::string_view fingerprint,
                      std::chrono::milliseconds window, bind_handler handler) = 0;
};

}  // namespace optgate
