// The decisions of one Redis connection without its I/O (Boost.Redis's "sans-io"): events in,
// actions out. redis_connection carries the actions out on hiredis and Asio; tests feed events.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "adapters/redis/reconnect_backoff.hpp"
#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_reply.hpp"

namespace optgate {

// Whether a server the sentinels named may be written to, from its reply to ROLE: nullopt
// when it is a master, or when its ACL refuses ROLE (a demoted master is still caught by its
// READONLY replies); else why not, for the log.
std::optional<std::string> not_a_master(const redis_reply& role_reply);

// Each attempt opens a context of its own number: a report about an older one is stale.
using context_id = std::uint64_t;

enum class connection_timer {
    connect_deadline,  // one attempt: connect, AUTH, SELECT (and ROLE)
    backoff,           // the wait before the next attempt
};

namespace connection_events {
struct start {};
struct stop {};
// The sentinels' answer to resolve_master; nullopt when none named one, or it was cancelled.
struct master_named {
    std::optional<redis_address> master;
};
// open_context got no context to wait on. `error` is hiredis's reason, empty when hiredis
// could not even allocate one.
struct context_refused {
    context_id id = 0;
    std::string error;
};
// hiredis's connect callback said OK: the TCP connection is up, set-up may begin.
struct context_connected {
    context_id id = 0;
};
// The replies to send_setup in order, or an error for the whole batch (then no replies).
struct setup_replied {
    context_id id = 0;
    std::error_code error;
    std::vector<redis_reply> replies;
};
// A batch's replies held a READONLY error; its handler has had them first.
struct readonly_replied {
    context_id id = 0;
};
// A batch's deadline passed; the batch itself has already failed with redis_error::timeout.
struct commands_timed_out {
    context_id id = 0;
};
// hiredis freed the context (its cleanup hook): every batch still pending on it has failed.
struct context_gone {
    context_id id = 0;
};
// redis_connection::reconnect(): its caller found the connection on the wrong server.
struct reconnect_asked {
    std::string reason;
};
struct timer_fired {
    connection_timer timer = connection_timer::connect_deadline;
    std::uint64_t token = 0;  // from the start_timer it answers; an older token is stale
};
}  // namespace connection_events

using connection_event =
    std::variant<connection_events::start, connection_events::stop, connection_events::master_named,
                 connection_events::context_refused, connection_events::context_connected,
                 connection_events::setup_replied, connection_events::readonly_replied,
                 connection_events::commands_timed_out, connection_events::context_gone,
                 connection_events::reconnect_asked, connection_events::timer_fired>;

namespace connection_actions {
// Ask the sentinels where the master is; answer with master_named.
struct resolve_master {
    friend bool operator==(const resolve_master&, const resolve_master&) = default;
};
// End a resolve in progress (its master_named still comes, and is ignored).
struct cancel_resolve {
    friend bool operator==(const cancel_resolve&, const cancel_resolve&) = default;
};
// Start connecting; answer with context_refused at once, or later context_connected or
// context_gone.
struct open_context {
    context_id id = 0;
    redis_address server;
    friend bool operator==(const open_context&, const open_context&) = default;
};
// Pipeline these on the context, whether or not connected() is true yet; answer with
// setup_replied.
struct send_setup {
    context_id id = 0;
    std::vector<std::vector<std::string>> commands;
    std::chrono::milliseconds deadline{};
    friend bool operator==(const send_setup&, const send_setup&) = default;
};
// Free the context unless hiredis already has: pending batches fail with connection_lost,
// then context_gone comes.
struct close_context {
    context_id id = 0;
    friend bool operator==(const close_context&, const close_context&) = default;
};
// (Re)start the timer; answer with timer_fired carrying the token when it expires.
struct start_timer {
    connection_timer timer = connection_timer::connect_deadline;
    std::uint64_t token = 0;
    std::chrono::milliseconds delay{};
    friend bool operator==(const start_timer&, const start_timer&) = default;
};
struct cancel_timer {
    connection_timer timer = connection_timer::connect_deadline;
    friend bool operator==(const cancel_timer&, const cancel_timer&) = default;
};
// connected() turns true and the connected handler runs.
struct mark_connected {
    friend bool operator==(const mark_connected&, const mark_connected&) = default;
};
// connected() turns false: new batches fail with not_connected.
struct mark_disconnected {
    friend bool operator==(const mark_disconnected&, const mark_disconnected&) = default;
};
enum class log_level { info, warn, error };
// A line for the log, secrets never in it.
struct log_line {
    log_level level = log_level::info;
    std::string text;
    friend bool operator==(const log_line&, const log_line&) = default;
};
}  // namespace connection_actions

using connection_action =
    std::variant<connection_actions::resolve_master, connection_actions::cancel_resolve,
                 connection_actions::open_context, connection_actions::send_setup,
                 connection_actions::close_context, connection_actions::start_timer,
                 connection_actions::cancel_timer, connection_actions::mark_connected,
                 connection_actions::mark_disconnected, connection_actions::log_line>;

struct connection_timing {
    std::chrono::milliseconds connect_timeout{2000};  // connect, AUTH, SELECT (and ROLE)
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{5000};
};

// One connection's state: which server, which context, connected or not, what has been
// logged about an outage (each outage is reported once, and its end once). Reads no clock:
// time passes only as timer_fired events.
// Threads: none of its own; its owner calls on() on one strand. describe() reads only what
// the constructor set, so any thread may call it.
// Set-up: AUTH (when a password is given), SELECT, and with Sentinel ROLE, which must say
// "master". A refusal, a non-master, a READONLY reply (with Sentinel), a reconnect_asked,
// a batch past its deadline or an attempt past connect_timeout closes the context; once it
// is gone, the next attempt waits for the backoff.
class connection_fsm {
  public:
    connection_fsm(redis_endpoint endpoint, connection_timing timing);

    std::vector<connection_action> on(const connection_event& event);

    bool connected() const { return connected_; }
    // For logs: "127.0.0.1:6379/0", or with Sentinel "sentinel:<master>/0".
    std::string describe() const;
    // describe() and, with Sentinel, the server named last: "sentinel:m/0 (10.0.0.5:6379)".
    std::string where() const;

  private:
    using actions = std::vector<connection_action>;

    void handle(const connection_events::start&, actions& out);
    void handle(const connection_events::stop&, actions& out);
    void handle(const connection_events::master_named&, actions& out);
    void handle(const connection_events::context_refused&, actions& out);
    void handle(const connection_events::context_connected&, actions& out);
    void handle(const connection_events::setup_replied&, actions& out);
    void handle(const connection_events::readonly_replied&, actions& out);
    void handle(const connection_events::commands_timed_out&, actions& out);
    void handle(const connection_events::context_gone&, actions& out);
    void handle(const connection_events::reconnect_asked&, actions& out);
    void handle(const connection_events::timer_fired&, actions& out);

    void attempt(actions& out);
    void open(actions& out);
    void close(actions& out);
    void drop(const std::string& reason, actions& out);
    void retry_later(actions& out);
    void start_timer(connection_timer timer, std::chrono::milliseconds delay, actions& out);
    void cancel_timer(connection_timer timer, actions& out);
    void set_disconnected(actions& out);
    void report_down(const std::string& what, actions& out);
    std::vector<std::vector<std::string>> setup_commands() const;
    bool open_context_is(context_id id) const { return id == context_ && context_ != 0; }

    const redis_endpoint endpoint_;
    const connection_timing timing_;
    reconnect_backoff backoff_;
    redis_address server_;    // the one connected or being connected to
    context_id context_ = 0;  // the context not yet gone, 0 when none
    context_id last_context_ = 0;
    bool closing_ = false;  // close_context was asked for the current context
    bool connected_ = false;
    bool stopping_ = false;
    bool reported_down_ = false;  // the outage in progress has been logged
    std::array<std::uint64_t, 2> timer_tokens_{};
};

}  // namespace optgate
