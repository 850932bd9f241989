#include "adapters/redis/replay_guard.hpp"

#include <algorithm>
#include <cstdint>

#include "adapters/redis/redis_error.hpp"

namespace optgate {

replay_guard::replay_guard(std::shared_ptr<redis_connection> connection, std::string key_prefix,
                           std::chrono::milliseconds command_deadline)
    : connection_(std::move(connection)),
      key_prefix_(std::move(key_prefix)),
      command_deadline_(command_deadline) {}

std::string replay_guard::key(std::string_view scope, std::string_view token) const {
    std::string k;
    k.reserve(key_prefix_.size() + scope.size() + token.size() + 9);
    k += key_prefix_;
    k += '{';
    k += scope;
    k += "}:token:";
    k += token;
    return k;
}

void replay_guard::bind(std::string_view scope, std::string_view token,
                        std::string_view fingerprint, std::chrono::milliseconds window,
                        bind_handler handler) {
    const auto px = std::to_string(std::max<std::int64_t>(1, window.count()));
    std::string k = key(scope, token);
    // Pipelined on one connection, in order: the GET sees what the SET left, ours or not.
    connection_->execute(
        {{"SET", k, std::string(fingerprint), "NX", "PX", px}, {"GET", k}}, command_deadline_,
        [handler = std::move(handler), fingerprint = std::string(fingerprint)](
            std::error_code ec, std::vector<redis_reply> replies) {
            if (ec) return handler(ec, token_use::other);
            if (replies.size() != 2)
                return handler(make_error_code(redis_error::unexpected_reply), token_use::other);
            const auto& set = replies[0];
            const auto& bound = replies[1];
            // What the token is bound to decides, even when the SET failed (a Redis out of
            // memory refuses every SET, also one that would not have written).
            if (bound.type == redis_reply::kind::string && bound.str != fingerprint)
                return handler({}, token_use::other);
            if (bound.type != redis_reply::kind::string)  // an error, or expired in between
                return handler(make_error_code(bound.is_error() ? redis_error::server_error
                                                                : redis_error::unexpected_reply),
                               token_use::other);
            const bool newly = set.type == redis_reply::kind::status && set.str == "OK";
            handler({}, newly ? token_use::first : token_use::again);
        });
}

}  // namespace optgate
