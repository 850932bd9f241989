#include "adapters/redis/webhook_ledger_store.hpp"

#include <algorithm>

#include "adapters/redis/redis_error.hpp"

namespace optgate {
namespace {

// KEYS: lease, state. ARGV: instance, lease ms, fingerprint.
// -> {holder or "", the state hash's fields}
constexpr const char* claim_script = R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('HSET', KEYS[2], 'fingerprint', ARGV[3])
  holder = ARGV[1]
end
return {holder, redis.call('HGETALL', KEYS[2])}
)lua";

// KEYS: lease, state. ARGV: instance, cursor, time (0: passed over, nothing was sent).
// -> 1, or 0 when the lease is another's.
constexpr const char* delivery_script = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'cursor', ARGV[2], 'failures', 0, 'failing_since', 0)
if ARGV[3] ~= '0' then redis.call('HSET', KEYS[2], 'delivered_at', ARGV[3]) end
return 1
)lua";

// KEYS: lease, state. ARGV: instance, error, time. -> 1, or 0 when the lease is another's.
constexpr const char* failure_script = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'last_error', ARGV[2], 'last_error_at', ARGV[3])
if redis.call('HINCRBY', KEYS[2], 'failures', 1) == 1 then
  redis.call('HSET', KEYS[2], 'failing_since', ARGV[3])
end
return 1
)lua";

// KEYS: lease. ARGV: instance. -> 1, or 0 when the lease is another's or none's.
constexpr const char* release_script = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
)lua";

epoch_ms number_field(const std::string& text) {
    return parse_reply_integer(text).value_or(0);
}

// HGETALL's flat reply (field, value, ...) as a state.
webhook_state read_state(const redis_reply& fields) {
    webhook_state state;
    for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
        const auto& name = fields.elements[i].str;
        const auto& value = fields.elements[i + 1].str;
        if (name == "cursor")
            state.cursor = value;
        else if (name == "delivered_at")
            state.delivered_at = number_field(value);
        else if (name == "failures")
            state.failures = static_cast<std::uint64_t>(std::max<epoch_ms>(0, number_field(value)));
        else if (name == "failing_since")
            state.failing_since = number_field(value);
        else if (name == "last_error")
            state.last_error = value;
        else if (name == "last_error_at")
            state.last_error_at = number_field(value);
        else if (name == "fingerprint")
            state.fingerprint = value;
    }
    return state;
}

}  // namespace

webhook_ledger_store::webhook_ledger_store(std::shared_ptr<redis_connection> connection,
                                           std::string key_prefix,
                                           std::chrono::milliseconds command_deadline)
    : connection_(std::move(connection)),
      keys_(std::move(key_prefix)),
      command_deadline_(command_deadline) {}

void webhook_ledger_store::claim(const std::string& webhook, const std::string& instance,
                                 const std::string& fingerprint, std::chrono::milliseconds lease,
                                 claim_handler handler) {
    connection_->execute(
        {{"EVAL", claim_script, "2", keys_.webhook_lease(webhook), keys_.webhook_state(webhook),
          instance, std::to_string(std::max<std::int64_t>(1, lease.count())), fingerprint}},
        command_deadline_,
        [instance, handler = std::move(handler)](std::error_code ec,
                                                 std::vector<redis_reply> replies) {
            if (ec) return handler(ec, false, {});
            const auto& reply = replies.front();
            if (reply.elements.size() != 2)
                return handler(make_error_code(redis_error::unexpected_reply), false, {});
            auto state = read_state(reply.elements[1]);
            state.holder = reply.elements[0].str;
            const bool held = state.holder == instance;
            handler({}, held, std::move(state));
        });
}

void webhook_ledger_store::record(std::vector<std::string> command, record_handler handler) {
    connection_->execute(
        {std::move(command)}, command_deadline_,
        [handler = std::move(handler)](std::error_code ec, std::vector<redis_reply> replies) {
            if (ec) return handler(ec, false);
            const auto& reply = replies.front();
            if (reply.type != redis_reply::kind::integer)
                return handler(make_error_code(redis_error::unexpected_reply), false);
            handler({}, reply.integer == 1);
        });
}

void webhook_ledger_store::record_delivery(const std::string& webhook, const std::string& instance,
                                           const std::string& cursor, epoch_ms at,
                                           record_handler handler) {
    record({"EVAL", delivery_script, "2", keys_.webhook_lease(webhook),
            keys_.webhook_state(webhook), instance, cursor, std::to_string(at)},
           std::move(handler));
}

void webhook_ledger_store::record_failure(const std::string& webhook, const std::string& instance,
                                          const std::string& error, epoch_ms at,
                                          record_handler handler) {
    record({"EVAL", failure_script, "2", keys_.webhook_lease(webhook), keys_.webhook_state(webhook),
            instance, error, std::to_string(at)},
           std::move(handler));
}

void webhook_ledger_store::release(const std::string& webhook, const std::string& instance,
                                   release_handler handler) {
    record({"EVAL", release_script, "1", keys_.webhook_lease(webhook), instance},
           std::move(handler));
}

void webhook_ledger_store::read_states(const std::vector<std::string>& webhooks,
                                       states_handler handler) {
    std::vector<redis_connection::command> commands;
    for (const auto& webhook : webhooks) {
        commands.push_back({"HGETALL", keys_.webhook_state(webhook)});
        commands.push_back({"GET", keys_.webhook_lease(webhook)});
    }
    // The newest change's cursor: where a webhook that caught up is.
    commands.push_back({"XREVRANGE", keys_.changes(), "+", "-", "COUNT", "1"});
    connection_->execute(std::move(commands), command_deadline_,
                         [count = webhooks.size(), handler = std::move(handler)](
                             std::error_code ec, std::vector<redis_reply> replies) {
                             if (ec) return handler(ec, {}, {});
                             if (replies.size() != 2 * count + 1 ||
                                 std::any_of(replies.begin(), replies.end(),
                                             [](const redis_reply& r) { return r.is_error(); }))
                                 return handler(make_error_code(redis_error::unexpected_reply), {},
                                                {});
                             std::vector<webhook_state> states;
                             for (std::size_t i = 0; i < count; ++i) {
                                 states.push_back(read_state(replies[2 * i]));
                                 states.back().holder = replies[2 * i + 1].str;
                             }
                             const auto& newest = replies.back();
                             std::string end = "0";
                             if (!newest.elements.empty() && !newest.elements[0].elements.empty())
                                 end = newest.elements[0].elements[0].str;
                             handler({}, std::move(states), std::move(end));
                         });
}

}  // namespace optgate
