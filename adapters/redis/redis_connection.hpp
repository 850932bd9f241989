// One hiredis 0.14 asynchronous context driven by Boost.Asio, with a deadline per batch of
// pipelined commands and reconnection with backoff. hiredis has no Asio adapter; this is it.
// With Redis Sentinel, each connection attempt goes to the master the sentinels name.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

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
class redis_connection : public std::enable_shared_from_this<redis_connection> {
  public:
    using command = std::vector<std::string>;
    // Replies in command order, or an error for the whole batch (then replies is empty).
    // A server error for one command is a reply of kind::error, not a batch error.
    using batch_handler = std::function<void(std::error_code, std::vector<redis_reply>)>;

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
    // For logs: "127.0.0.1:6379/0", or with Sentinel "sentinel:<master>/0".
    std::string describe() const;

    // For the C callback trampolines only (they post these onto the strand).
    struct io_binding;
    struct pending_batch;
    void on_connected_from_hook(const std::shared_ptr<io_binding>& binding);
    void on_context_gone_from_hook(const std::shared_ptr<io_binding>& binding);
    void on_readonly_from_reply(const std::shared_ptr<io_binding>& binding);

  private:
    redis_connection(boost::asio::any_io_executor executor, redis_endpoint endpoint,
                     redis_connection_options options);

    void connect();
    void connect_to(const redis_address& server);
    void on_master_named(const std::optional<redis_address>& master);
    void schedule_reconnect();
    void drop(const std::string& reason);  // strand only
    std::string where() const;             // describe() and, with Sentinel, the server; strand only
    void submit(std::vector<command> commands, std::chrono::milliseconds deadline,
                batch_handler handler, bool internal);

    using strand_type = boost::asio::strand<boost::asio::any_io_executor>;
    strand_type strand_;
    redis_endpoint endpoint_;
    redis_connection_options options_;
    boost::asio::steady_timer connect_timer_;
    boost::asio::steady_timer reconnect_timer_;
    std::chrono::milliseconds backoff_;
    std::shared_ptr<io_binding> binding_;          // the live context, if any
    std::shared_ptr<sentinel_resolver> resolver_;  // with Sentinel only
    redis_address server_;                         // the one connected or being connected to
    bool stopping_ = false;
    bool reported_down_ = false;
    std::atomic<bool> connected_{false};
    std::function<void()> connected_handler_;
};

}  // namespace optgate
