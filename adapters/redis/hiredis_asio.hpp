// One hiredis 0.14 asynchronous context driven by Boost.Asio: the event hooks hiredis calls,
// and pipelined batches of commands with a deadline each. hiredis has no Asio adapter; this is it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/strand.hpp>

#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_reply.hpp"

struct redisAsyncContext;

namespace optgate {

using redis_command = std::vector<std::string>;
// Replies in command order, or an error for the whole batch (then replies is empty).
// A server error for one command is a reply of kind::error, not a batch error.
using redis_batch_handler = std::function<void(std::error_code, std::vector<redis_reply>)>;
using redis_strand = boost::asio::strand<boost::asio::any_io_executor>;

// What a hiredis_context tells its owner, on the strand and never from inside hiredis.
class hiredis_context_owner {
  public:
    // hiredis's connect callback said OK: set-up may begin.
    virtual void on_context_connected(std::uint64_t id) = 0;
    // hiredis freed the context; every batch pending on it has failed with connection_lost.
    virtual void on_context_gone(std::uint64_t id) = 0;
    // A batch's replies held a READONLY error; its handler has run first.
    virtual void on_readonly_reply(std::uint64_t id) = 0;
    // A batch's deadline passed and the batch failed with timeout; the context is still open.
    virtual void on_commands_timed_out(std::uint64_t id) = 0;

  protected:
    ~hiredis_context_owner() = default;
};

// Hands `handler` the error, on the strand, as a batch that never reached a context does.
void fail_batch(const redis_strand& strand, redis_batch_handler handler, std::error_code error);

// Threads: lives on its strand; every method is called there, every report is made there.
// Lifetime: shared_ptr, also held by its pending waits and batches. hiredis frees the context
// itself (after a failed connect, an I/O error, or close()); alive() turns false at once, and
// on_context_gone follows on the strand. A report about a context freed since it was posted
// is dropped, except on_context_gone.
class hiredis_context : public std::enable_shared_from_this<hiredis_context> {
  public:
    struct opened {
        std::shared_ptr<hiredis_context> context;  // null when the connect could not begin
        std::string error;  // then hiredis's reason; empty when it could not even allocate
    };
    static opened open(redis_strand strand, const redis_address& server, std::uint64_t id,
                       std::weak_ptr<hiredis_context_owner> owner);
    ~hiredis_context();

    std::uint64_t id() const { return id_; }
    bool alive() const { return context_ != nullptr; }

    // Sends the commands pipelined, in order, whether or not set-up is done. If the deadline
    // passes first, the handler gets redis_error::timeout and the owner on_commands_timed_out.
    void submit(std::vector<redis_command> commands, std::chrono::milliseconds deadline,
                redis_batch_handler handler);
    // Frees the context if hiredis has not: pending batches fail, then on_context_gone.
    void close();
    // For the owner's destructor: frees the context without reporting anything.
    void abandon();

  private:
    struct pending_batch;
    struct reply_slot;
    using report = void (hiredis_context_owner::*)(std::uint64_t);

    hiredis_context(redis_strand strand, redisAsyncContext* context, std::uint64_t id,
                    std::weak_ptr<hiredis_context_owner> owner);
    void arm(bool read);
    void post_report(report what, bool only_if_alive);

    // hiredis's C callbacks: static, noexcept, touching only flags and posting (NOTES 3-6).
    static void hook_add_read(void* data) noexcept;
    static void hook_del_read(void* data) noexcept;
    static void hook_add_write(void* data) noexcept;
    static void hook_del_write(void* data) noexcept;
    static void hook_cleanup(void* data) noexcept;
    static void on_connect(const redisAsyncContext* context, int status) noexcept;
    static void on_disconnect(const redisAsyncContext* context, int status) noexcept;
    static void on_reply(redisAsyncContext* context, void* reply, void* privdata) noexcept;

    redis_strand strand_;
    boost::asio::posix::stream_descriptor descriptor_;  // hiredis's fd: released, never closed
    redisAsyncContext* context_;                        // null once hiredis has freed it
    std::uint64_t id_;
    std::weak_ptr<hiredis_context_owner> owner_;
    bool want_read_ = false, want_write_ = false;
    bool read_armed_ = false, write_armed_ = false;
};

}  // namespace optgate
