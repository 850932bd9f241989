#include "adapters/redis/redis_connection.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "adapters/redis/redis_error.hpp"
#include "adapters/redis/sentinel_resolver.hpp"

namespace optgate {

namespace asio = boost::asio;
namespace events = connection_events;
namespace act = connection_actions;

std::shared_ptr<redis_connection> redis_connection::create(asio::any_io_executor executor,
                                                           redis_endpoint endpoint,
                                                           redis_connection_options options) {
    return std::shared_ptr<redis_connection>(
        new redis_connection(std::move(executor), std::move(endpoint), options));
}

redis_connection::redis_connection(asio::any_io_executor executor, redis_endpoint endpoint,
                                   redis_connection_options options)
    : strand_(asio::make_strand(executor)),
      connect_timer_(strand_),
      backoff_timer_(strand_),
      fsm_(endpoint, {options.connect_timeout, options.backoff_min, options.backoff_max}) {
    if (endpoint.uses_sentinel())
        resolver_ = sentinel_resolver::create(strand_, endpoint.sentinel_master, endpoint.sentinels,
                                              options.sentinel_timeout);
}

redis_connection::~redis_connection() {
    if (context_) context_->abandon();
}

void redis_connection::start() {
    asio::post(strand_, [self = shared_from_this()] { self->handle(events::start{}); });
}

void redis_connection::stop() {
    asio::post(strand_, [self = shared_from_this()] { self->handle(events::stop{}); });
}

void redis_connection::reconnect(std::string reason) {
    asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
        // hiredis freed the context meanwhile: its loss is reported already, and reconnects.
        if (self->context_freed_unreported()) return;
        self->handle(events::reconnect_asked{std::move(reason)});
    });
}

void redis_connection::execute(std::vector<command> commands, std::chrono::milliseconds deadline,
                               batch_handler handler) {
    asio::post(strand_, [self = shared_from_this(), commands = std::move(commands), deadline,
                         handler = std::move(handler)]() mutable {
        if (!self->connected_ || !self->context_ || !self->context_->alive())
            return fail_batch(self->strand_, std::move(handler), redis_error::not_connected);
        self->context_->submit(std::move(commands), deadline, std::move(handler));
    });
}

void redis_connection::on_context_connected(std::uint64_t id) {
    handle(events::context_connected{id});
}

void redis_connection::on_context_gone(std::uint64_t id) {
    if (context_ && context_->id() == id) context_.reset();
    handle(events::context_gone{id});
}

void redis_connection::on_readonly_reply(std::uint64_t id) {
    handle(events::readonly_replied{id});
}

void redis_connection::on_commands_timed_out(std::uint64_t id) {
    handle(events::commands_timed_out{id});
}

// An action may report an event at once (a refused connect): it waits in the inbox until the
// actions before it have all been carried out, so that they run in the order decided.
void redis_connection::handle(connection_event event) {
    inbox_.push_back(std::move(event));
    if (handling_) return;
    handling_ = true;
    struct done_handling {
        redis_connection& self;
        ~done_handling() { self.handling_ = false; }
    } done{*this};
    while (!inbox_.empty()) {
        const auto next = std::move(inbox_.front());
        inbox_.pop_front();
        for (const auto& action : fsm_.on(next))
            std::visit([this](const auto& a) { carry_out(a); }, action);
    }
}

void redis_connection::carry_out(const act::resolve_master&) {
    resolver_->resolve([self = shared_from_this()](std::optional<redis_address> master) {
        self->handle(events::master_named{std::move(master)});
    });
}

void redis_connection::carry_out(const act::cancel_resolve&) {
    resolver_->cancel();
}

void redis_connection::carry_out(const act::open_context& a) {
    auto opened = hiredis_context::open(strand_, a.server, a.id, weak_from_this());
    if (!opened.context) return handle(events::context_refused{a.id, std::move(opened.error)});
    context_ = std::move(opened.context);
}

void redis_connection::carry_out(const act::send_setup& a) {
    auto on_replies = [self = shared_from_this(), id = a.id](std::error_code ec,
                                                             std::vector<redis_reply> replies) {
        self->handle(events::setup_replied{id, ec, std::move(replies)});
    };
    if (!context_ || context_->id() != a.id || !context_->alive())
        return fail_batch(strand_, std::move(on_replies), redis_error::not_connected);
    context_->submit(a.commands, a.deadline, std::move(on_replies));
}

void redis_connection::carry_out(const act::close_context& a) {
    if (context_ && context_->id() == a.id) context_->close();
}

void redis_connection::carry_out(const act::start_timer& a) {
    auto& t = timer(a.timer);
    t.expires_after(a.delay);
    t.async_wait([self = shared_from_this(), which = a.timer,
                  token = a.token](boost::system::error_code ec) {
        if (ec) return;
        // hiredis freed the attempt's context meanwhile: the attempt is over, and its
        // context_gone says so.
        if (which == connection_timer::connect_deadline && self->context_freed_unreported()) return;
        self->handle(events::timer_fired{which, token});
    });
}

void redis_connection::carry_out(const act::cancel_timer& a) {
    timer(a.timer).cancel();
}

void redis_connection::carry_out(const act::mark_connected&) {
    ++connections_;
    connected_ = true;
    if (connected_handler_) connected_handler_();
}

void redis_connection::carry_out(const act::mark_disconnected&) {
    connected_ = false;
}

void redis_connection::carry_out(const act::log_line& a) {
    static constexpr spdlog::level::level_enum levels[] = {spdlog::level::info, spdlog::level::warn,
                                                           spdlog::level::err};
    spdlog::log(levels[static_cast<int>(a.level)], "{}", a.text);
}

asio::steady_timer& redis_connection::timer(connection_timer which) {
    return which == connection_timer::backoff ? backoff_timer_ : connect_timer_;
}

}  // namespace optgate
