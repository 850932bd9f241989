#include "adapters/redis/connection_fsm.hpp"

#include <utility>

namespace optgate {

namespace events = connection_events;
namespace act = connection_actions;

std::optional<std::string> not_a_master(const redis_reply& role_reply) {
    if (role_reply.is_error())
        return role_reply.str.starts_with("NOPERM")
                   ? std::nullopt
                   : std::optional("ROLE refused: " + role_reply.str);
    if (role_reply.type != redis_reply::kind::array || role_reply.elements.empty() ||
        role_reply.elements[0].type != redis_reply::kind::string)
        return "unexpected reply to ROLE";
    const std::string& role = role_reply.elements[0].str;
    if (role == "master") return std::nullopt;
    return "the server is a " + role + ", not a master";
}

connection_fsm::connection_fsm(redis_endpoint endpoint, connection_timing timing)
    : endpoint_(std::move(endpoint)),
      timing_(timing),
      backoff_(timing.backoff_min, timing.backoff_max) {
    if (!endpoint_.uses_sentinel()) server_ = {endpoint_.host, endpoint_.port};
}

std::vector<connection_action> connection_fsm::on(const connection_event& event) {
    actions out;
    std::visit([&](const auto& e) { handle(e, out); }, event);
    return out;
}

std::string connection_fsm::describe() const {
    const std::string db = "/" + std::to_string(endpoint_.database);
    if (endpoint_.uses_sentinel()) return "sentinel:" + endpoint_.sentinel_master + db;
    return endpoint_.host + ":" + std::to_string(endpoint_.port) + db;
}

std::string connection_fsm::where() const {
    if (!endpoint_.uses_sentinel() || server_.host.empty()) return describe();
    return describe() + " (" + server_.text() + ")";
}

void connection_fsm::handle(const events::start&, actions& out) {
    attempt(out);
}

void connection_fsm::handle(const events::stop&, actions& out) {
    stopping_ = true;
    set_disconnected(out);
    cancel_timer(connection_timer::connect_deadline, out);
    cancel_timer(connection_timer::backoff, out);
    if (endpoint_.uses_sentinel()) out.push_back(act::cancel_resolve{});
    if (context_ != 0 && !closing_) close(out);
}

void connection_fsm::handle(const events::master_named& e, actions& out) {
    if (stopping_) return;
    if (!e.master) {
        if (!reported_down_)
            out.push_back(act::log_line{
                act::log_level::warn,
                "redis " + describe() + ": no sentinel named the master; asking again"});
        reported_down_ = true;
        return retry_later(out);
    }
    if (*e.master != server_) {
        const bool moved = !server_.host.empty();
        out.push_back(act::log_line{moved ? act::log_level::warn : act::log_level::info,
                                    "redis " + describe() + ": the sentinels name " +
                                        e.master->text() + " as master" +
                                        (moved ? " (it was " + server_.text() + ")" : "")});
        server_ = *e.master;
    }
    open(out);
}

void connection_fsm::handle(const events::context_refused& e, actions& out) {
    if (!open_context_is(e.id)) return;
    context_ = 0;
    cancel_timer(connection_timer::connect_deadline, out);
    // Without a reason hiredis could not allocate: nothing useful to tell the operator.
    if (!e.error.empty()) report_down("cannot connect: " + e.error, out);
    retry_later(out);
}

void connection_fsm::handle(const events::context_connected& e, actions& out) {
    if (!open_context_is(e.id) || closing_) return;
    out.push_back(act::send_setup{e.id, setup_commands(), timing_.connect_timeout});
}

void connection_fsm::handle(const events::setup_replied& e, actions& out) {
    // A context being closed cannot become the connection, whatever it answered before.
    if (!open_context_is(e.id) || closing_) return;
    const bool role_asked = endpoint_.uses_sentinel();
    bool refused = bool(e.error);
    if (!e.error && e.replies.size() != setup_commands().size()) {
        report_down("set-up got " + std::to_string(e.replies.size()) + " replies", out);
        refused = true;
    }
    if (!refused) {
        const std::size_t checked = e.replies.size() - (role_asked ? 1 : 0);
        for (std::size_t i = 0; i < checked; ++i)
            if (e.replies[i].is_error()) {
                // Every refusal is logged, at each attempt: a wrong password or an ACL is for
                // the operator to fix. AUTH's refusal never repeats the password: Redis's
                // text names none.
                out.push_back(
                    act::log_line{act::log_level::error,
                                  "redis " + where() + ": set-up refused: " + e.replies[i].str});
                refused = true;
            }
    }
    if (!refused && role_asked)
        if (const auto problem = not_a_master(e.replies.back())) {
            report_down(*problem + "; asking the sentinels again", out);
            refused = true;
        }
    if (refused) return close(out);

    cancel_timer(connection_timer::connect_deadline, out);
    backoff_.reset();
    if (reported_down_)
        out.push_back(act::log_line{act::log_level::info, "redis " + where() + ": connected"});
    reported_down_ = false;
    connected_ = true;
    out.push_back(act::mark_connected{});
}

void connection_fsm::handle(const events::readonly_replied& e, actions& out) {
    // Without Sentinel a reconnection would land on the same server: nothing to gain.
    if (!open_context_is(e.id) || !endpoint_.uses_sentinel()) return;
    drop("READONLY: no longer the master", out);
}

void connection_fsm::handle(const events::commands_timed_out& e, actions& out) {
    // hiredis has no timeouts: a server that stopped answering is only left by closing.
    if (!open_context_is(e.id) || closing_) return;
    out.push_back(
        act::log_line{act::log_level::warn,
                      "redis " + where() + ": commands timed out; resetting the connection"});
    close(out);
}

void connection_fsm::handle(const events::context_gone& e, actions& out) {
    if (!open_context_is(e.id)) return;
    context_ = 0;
    closing_ = false;
    cancel_timer(connection_timer::connect_deadline, out);
    if (connected_ && !stopping_)
        out.push_back(
            act::log_line{act::log_level::warn, "redis " + where() + ": connection lost"});
    if (connected_) reported_down_ = true;
    set_disconnected(out);
    retry_later(out);
}

void connection_fsm::handle(const events::reconnect_asked& e, actions& out) {
    drop(e.reason, out);
}

void connection_fsm::handle(const events::timer_fired& e, actions& out) {
    if (e.token != timer_tokens_[std::size_t(e.timer)]) return;  // restarted or cancelled since
    if (e.timer == connection_timer::backoff) return attempt(out);
    // A connection, a refusal and a context gone all cancel the deadline; a close does not.
    if (context_ == 0 || closing_) return;
    report_down("connect timed out", out);
    close(out);
}

void connection_fsm::attempt(actions& out) {
    if (stopping_) return;
    if (endpoint_.uses_sentinel())
        out.push_back(act::resolve_master{});
    else
        open(out);
}

void connection_fsm::open(actions& out) {
    context_ = ++last_context_;
    closing_ = false;
    out.push_back(act::open_context{context_, server_});
    start_timer(connection_timer::connect_deadline, timing_.connect_timeout, out);
}

void connection_fsm::close(actions& out) {
    closing_ = true;
    out.push_back(act::close_context{context_});
}

// The connection is given up on purpose: it is logged every time, and the outage that follows
// counts as reported.
void connection_fsm::drop(const std::string& reason, actions& out) {
    if (context_ == 0 || closing_ || stopping_) return;
    out.push_back(act::log_line{act::log_level::warn,
                                "redis " + where() + ": " + reason + "; connecting again"});
    set_disconnected(out);
    reported_down_ = true;
    close(out);  // with Sentinel, the next attempt asks the sentinels again
}

void connection_fsm::retry_later(actions& out) {
    if (stopping_) return;
    start_timer(connection_timer::backoff, backoff_.next(), out);
}

void connection_fsm::start_timer(connection_timer timer, std::chrono::milliseconds delay,
                                 actions& out) {
    const auto token = ++timer_tokens_[std::size_t(timer)];
    out.push_back(act::start_timer{timer, token, delay});
}

void connection_fsm::cancel_timer(connection_timer timer, actions& out) {
    ++timer_tokens_[std::size_t(timer)];  // a firing already on its way is stale now
    out.push_back(act::cancel_timer{timer});
}

void connection_fsm::set_disconnected(actions& out) {
    if (!connected_) return;
    connected_ = false;
    out.push_back(act::mark_disconnected{});
}

// One warning per outage: a server down for an hour is not thousands of lines.
void connection_fsm::report_down(const std::string& what, actions& out) {
    if (!reported_down_)
        out.push_back(act::log_line{act::log_level::warn, "redis " + where() + ": " + what});
    reported_down_ = true;
}

std::vector<std::vector<std::string>> connection_fsm::setup_commands() const {
    std::vector<std::vector<std::string>> setup;
    if (!endpoint_.password.empty()) {
        if (endpoint_.username.empty())
            setup.push_back({"AUTH", endpoint_.password});
        else
            setup.push_back({"AUTH", endpoint_.username, endpoint_.password});
    }
    setup.push_back({"SELECT", std::to_string(endpoint_.database)});
    if (endpoint_.uses_sentinel()) setup.push_back({"ROLE"});
    return setup;
}

}  // namespace optgate
