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

void replay_guard::claim(std::string_view scope, std::string_view token,
                         std::chrono::milliseconds window, claim_handler handler) {
    const auto px = std::to_string(std::max<std::int64_t>(1, window.count()));
    connection_->execute(
        {{"SET", key(scope, token), "1", "NX", "PX", px}}, command_deadline_,
        [handler = std::move(handler)](std::error_code ec, std::vector<redis_reply> replies) {
            if (ec) return handler(ec, false);
            if (replies.size() != 1)
                return handler(make_error_code(redis_error::unexpected_reply), false);
            const auto& reply = replies[0];
            if (reply.type == redis_reply::kind::status && reply.str == "OK")
                return handler({}, true);
            if (reply.is_nil()) return handler({}, false);  // NX: the key was already there
            handler(make_error_code(reply.is_error() ? redis_error::server_error
                                                     : redis_error::unexpected_reply),
                    false);
        });
}

void replay_guard::release(std::string_view scope, std::string_view token,
                           std::function<void(std::error_code)> handler) {
    connection_->execute(
        {{"DEL", key(scope, token)}}, command_deadline_,
        [handler = std::move(handler)](std::error_code ec, std::vector<redis_reply> replies) {
            if (!ec && (replies.size() != 1 || replies[0].is_error()))
                ec = redis_error::server_error;
            handler(ec);
        });
}

}  // namespace optgate
