// One Redis connection: hiredis 0.14 on Asio (hiredis_asio), with a deadline per batch of
// pipelined commands, reconnection with backoff and, with Sentinel, the master they name.
// What to do when is decided by connection_fsm; this class only carries its actions out.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "adapters/redis/connection_fsm.hpp"
#include "adapters/redis/hiredis_asio.hpp"
#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_reply.hpp"

namespace optgate {

class sentinel_resolver;

struct redis_connection_options {
    std::chrono::milliseconds connect_timeout{2000};  // connect, AUTH, SELECT (and ROLE)
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{5000};
    std::chrono::milliseconds sentinel_timeout{1000};  // per sentinel asked for the master
};

// Threads: every public method may be called from any thread; all work on the hiredis
// context happens on this object's strand, and every handler is invoked on that strand.
// Lifetime: owned by shared_ptr; call stop() before the io_context is destroyed.
// Sentinel: before each connection attempt the sentinels are asked for the master; after
// AUTH and SELECT, ROLE must say "master" (else the connection is dropped and the sentinels
// asked again). A READONLY error reply (the master was demoted while we were connected)
// resets the connection once its batch's handler has run, so that the next attempt asks too.
class redis_connection : public std::enable_shared_from_this<redis_connection>,
                         public hiredis_context_owner {
  public:
    using command = redis_command;
    // Replies in command order, or an error for the whole batch (then replies is empty).
    // A server error for one command is a reply of kind::error, not a batch error.
    using batch_handler = redis_batch_handler;

    static std::shared_ptr<redis_connection> create(boost::asio::any_io_executor executor,
                                                    redis_endpoint endpoint,
                                                    redis_connection_options options = {});
    ~redis_connection();

    // Called on the strand each time a connection becomes usable (after AUTH and SELECT,
    // and with Sentinel after ROLE said "master").
    // Set it before start().
    void set_connected_handler(std::function<void()> handler) {
        connected_handler_ = std::move(handler);
    }

    void start();
    void stop();
    // Drops the connection, if any, and connects again (with Sentinel, asking the sentinels
    // anew): for a connection found on another server than it should be.
    void reconnect(std::string reason);

    // Sends the commands pipelined, in order. If the deadline passes first, the handler gets
    // redis_error::timeout and the connection is reset (hiredis has no timeouts of its own).
    void execute(std::vector<command> commands, std::chrono::milliseconds deadline,
                 batch_handler handler);

    bool connected() const { return connected_.load(std::memory_order_acquire); }
    // How many times the connection has become usable. On the strand (in a batch's handler),
    // the number of the connection that answered the batch: handlers run in order, before
    // a later connection is marked.
    std::uint64_t connections() const { return connections_.load(std::memory_order_acquire); }
    // For logs: "127.0.0.1:6379/0", or with Sentinel "sentinel:<master>/0".
    std::string describe() const { return fsm_.describe(); }

  private:
    redis_connection(boost::asio::any_io_executor executor, redis_endpoint endpoint,
                     redis_connection_options options);

    // hiredis_context_owner: the context's reports, on the strand.
    void on_context_connected(std::uint64_t id) override;
    void on_context_gone(std::uint64_t id) override;
    void on_readonly_reply(std::uint64_t id) override;
    void on_commands_timed_out(std::uint64_t id) override;

    void handle(connection_event event);  // strand only
    void carry_out(const connection_actions::resolve_master&);
    void carry_out(const connection_actions::cancel_resolve&);
    void carry_out(const connection_actions::open_context&);
    void carry_out(const connection_actions::send_setup&);
    void carry_out(const connection_actions::close_context&);
    void carry_out(const connection_actions::start_timer&);
    void carry_out(const connection_actions::cancel_timer&);
    void carry_out(const connection_actions::mark_connected&);
    void carry_out(const connection_actions::mark_disconnected&);
    void carry_out(const connection_actions::log_line&);
    bool context_freed_unreported() const { return context_ && !context_->alive(); }
    boost::asio::steady_timer& timer(connection_timer which);

    redis_strand strand_;
    boost::asio::steady_timer connect_timer_;
    boost::asio::steady_timer backoff_timer_;
    connection_fsm fsm_;                           // on the strand, but for describe()
    std::shared_ptr<hiredis_context> context_;     // the one not yet gone, if any
    std::shared_ptr<sentinel_resolver> resolver_;  // with Sentinel only
    std::deque<connection_event> inbox_;           // events reported while actions run
    bool handling_ = false;
    std::atomic<bool> connected_{false};
    std::atomic<std::uint64_t> connections_{0};
    std::function<void()> connected_handler_;
};

}  // namespace optgate
