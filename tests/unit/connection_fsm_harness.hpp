// What the connection_fsm tests share: a harness that plays redis_connection's part (feeds
// events, keeps the running timers' tokens) and writes each action as one line of text.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "adapters/redis/connection_fsm.hpp"

namespace optgate::testing {

using namespace std::chrono_literals;
namespace act = connection_actions;
namespace ev = connection_events;
using kind = redis_reply::kind;

inline std::string timer_name(connection_timer t) {
    return t == connection_timer::backoff ? "backoff" : "connect_deadline";
}

// One line per action, every field in it: a failing test shows the whole script.
struct action_text {
    std::string operator()(const act::resolve_master&) const { return "resolve_master"; }
    std::string operator()(const act::cancel_resolve&) const { return "cancel_resolve"; }
    std::string operator()(const act::open_context& a) const {
        return "open_context #" + std::to_string(a.id) + " " + a.server.text();
    }
    std::string operator()(const act::send_setup& a) const {
        std::string text = "send_setup #" + std::to_string(a.id);
        for (const auto& command : a.commands) {
            text += " [";
            for (const auto& arg : command) text += (text.back() == '[' ? "" : " ") + arg;
            text += "]";
        }
        return text + " within " + std::to_string(a.deadline.count()) + "ms";
    }
    std::string operator()(const act::close_context& a) const {
        return "close_context #" + std::to_string(a.id);
    }
    std::string operator()(const act::start_timer& a) const {
        return "start_timer " + timer_name(a.timer) + " " + std::to_string(a.delay.count()) + "ms";
    }
    std::string operator()(const act::cancel_timer& a) const {
        return "cancel_timer " + timer_name(a.timer);
    }
    std::string operator()(const act::mark_connected&) const { return "mark_connected"; }
    std::string operator()(const act::mark_disconnected&) const { return "mark_disconnected"; }
    std::string operator()(const act::log_line& a) const {
        const char* level[] = {"info", "warn", "error"};
        return std::string(level[int(a.level)]) + ": " + a.text;
    }
};

using script = std::vector<std::string>;

// Plays the driver's part: feeds events, keeps the token of each running timer so that a test
// can let it expire, and hands back the actions as text.
class harness {
  public:
    explicit harness(redis_endpoint endpoint, connection_timing timing = {})
        : fsm(std::move(endpoint), timing) {}

    script on(const connection_event& event) {
        script lines;
        for (const auto& action : fsm.on(event)) {
            if (const auto* start = std::get_if<act::start_timer>(&action))
                running[start->timer] = start->token;
            if (const auto* cancel = std::get_if<act::cancel_timer>(&action))
                running.erase(cancel->timer);
            lines.push_back(std::visit(action_text{}, action));
        }
        return lines;
    }
    script fire(connection_timer timer) {
        if (!running.contains(timer)) {
            ADD_FAILURE() << timer_name(timer) << " is not running";
            return {};
        }
        const auto token = running[timer];
        running.erase(timer);
        return on(ev::timer_fired{timer, token});
    }
    // From a direct start to a usable connection on context `id`.
    void connect(context_id id) {
        on(ev::context_connected{id});
        on(ev::setup_replied{id, {}, {ok()}});
        ASSERT_TRUE(fsm.connected());
    }

    static redis_reply ok() { return {kind::status, 0, "OK", {}}; }
    static redis_reply error(std::string text) { return {kind::error, 0, std::move(text), {}}; }
    static redis_reply role(std::string name) {
        return {kind::array, 0, "", {{kind::string, 0, std::move(name), {}}}};
    }

    connection_fsm fsm;
    std::map<connection_timer, std::uint64_t> running;
};

inline redis_endpoint direct() {
    return {};
}  // 127.0.0.1:6379, database 0, no password

inline redis_endpoint with_password() {
    redis_endpoint e;
    e.username = "app";
    e.password = "s3cret-pass";
    e.database = 3;
    return e;
}

inline redis_endpoint with_sentinel() {
    redis_endpoint e;
    e.host = "192.0.2.1";  // never used with sentinels
    e.sentinel_master = "mymaster";
    e.sentinels = {{"10.0.0.1", 26379}};
    return e;
}

inline const redis_address master_a{"10.0.0.5", 6379};
inline const redis_address master_b{"10.0.0.6", 6379};

}  // namespace optgate::testing
