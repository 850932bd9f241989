#include "adapters/redis/hiredis_asio.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "adapters/redis/redis_error.hpp"

namespace optgate {

namespace asio = boost::asio;

void fail_batch(const redis_strand& strand, redis_batch_handler handler, std::error_code error) {
    asio::post(strand, [h = std::move(handler), error]() mutable { h(error, {}); });
}

struct hiredis_context::pending_batch {
    explicit pending_batch(redis_strand s) : timer(s), strand(s) {}
    std::shared_ptr<hiredis_context> context;
    std::vector<redis_reply> replies;
    std::size_t outstanding = 0;
    std::error_code error;
    bool done = false;
    bool readonly = false;  // a reply said READONLY: the server is no longer a master
    redis_batch_handler handler;
    asio::steady_timer timer;
    redis_strand strand;

    void finish(std::error_code ec) {
        if (done) return;
        done = true;
        timer.cancel();
        if (ec) replies.clear();
        asio::post(strand, [h = std::move(handler), ec, r = std::move(replies)]() mutable {
            h(ec, std::move(r));
        });
    }
};

struct hiredis_context::reply_slot {
    std::shared_ptr<pending_batch> batch;
    std::size_t index;
};

hiredis_context::opened hiredis_context::open(redis_strand strand, const redis_address& server,
                                              std::uint64_t id,
                                              std::weak_ptr<hiredis_context_owner> owner) {
    redisAsyncContext* context = redisAsyncConnect(server.host.c_str(), server.port);
    if (!context) return {};
    if (context->err) {
        opened refused{nullptr, context->errstr};
        redisAsyncFree(context);
        return refused;
    }
    std::shared_ptr<hiredis_context> c;
    try {
        c.reset(new hiredis_context(strand, context, id, std::move(owner)));
    } catch (...) {
        redisAsyncFree(context);
        throw;
    }
    // The hooks must be in place before the connect callback is set: setting it already
    // asks for a write event (pitfall 1).
    context->ev.data = c.get();
    context->ev.addRead = hook_add_read;
    context->ev.delRead = hook_del_read;
    context->ev.addWrite = hook_add_write;
    context->ev.delWrite = hook_del_write;
    context->ev.cleanup = hook_cleanup;
    redisAsyncSetDisconnectCallback(context, on_disconnect);
    redisAsyncSetConnectCallback(context, on_connect);
    return {std::move(c), {}};
}

hiredis_context::hiredis_context(redis_strand strand, redisAsyncContext* context, std::uint64_t id,
                                 std::weak_ptr<hiredis_context_owner> owner)
    : strand_(strand),
      descriptor_(strand, context->c.fd),
      context_(context),
      id_(id),
      owner_(std::move(owner)) {}

hiredis_context::~hiredis_context() {
    abandon();
}

void hiredis_context::close() {
    if (context_) redisAsyncFree(context_);  // the cleanup hook clears context_
}

void hiredis_context::abandon() {
    owner_.reset();
    close();
}

// Posted, not called: the hooks and callbacks run inside hiredis's own functions.
void hiredis_context::post_report(report what, bool only_if_alive) {
    auto owner = owner_.lock();
    auto self = weak_from_this().lock();  // null while being destroyed
    if (!owner || !self) return;
    asio::post(strand_, [owner, self, what, only_if_alive] {
        if (only_if_alive && !self->alive()) return;  // its on_context_gone is on the way
        (owner.get()->*what)(self->id_);
    });
}

void hiredis_context::hook_add_read(void* data) noexcept {
    auto* c = static_cast<hiredis_context*>(data);
    c->want_read_ = true;
    c->arm(true);
}
void hiredis_context::hook_del_read(void* data) noexcept {
    static_cast<hiredis_context*>(data)->want_read_ = false;
}
void hiredis_context::hook_add_write(void* data) noexcept {
    auto* c = static_cast<hiredis_context*>(data);
    c->want_write_ = true;
    c->arm(false);
}
void hiredis_context::hook_del_write(void* data) noexcept {
    static_cast<hiredis_context*>(data)->want_write_ = false;
}

// The one reliable "context is gone" signal (NOTES pitfall 2). Runs before hiredis closes
// the fd, so the descriptor is released here and Asio never closes hiredis's fd.
void hiredis_context::hook_cleanup(void* data) noexcept {
    auto* c = static_cast<hiredis_context*>(data);
    c->context_ = nullptr;
    c->want_read_ = c->want_write_ = false;
    c->descriptor_.release();
    try {
        c->post_report(&hiredis_context_owner::on_context_gone, false);
    } catch (...) {
        // Out of memory posting: the owner never hears of it; nothing can be done from here.
    }
}

void hiredis_context::on_reply(redisAsyncContext*, void* reply, void* privdata) noexcept {
    std::unique_ptr<reply_slot> slot(static_cast<reply_slot*>(privdata));
    try {
        auto& batch = *slot->batch;
        if (!reply) {
            if (!batch.error) batch.error = redis_error::connection_lost;
        } else {
            auto& copy = batch.replies[slot->index];
            copy = copy_reply(*static_cast<redisReply*>(reply));
            if (copy.is_error() && copy.str.starts_with("READONLY")) batch.readonly = true;
        }
        if (--batch.outstanding == 0) {
            batch.finish(batch.error);
            // Posted behind the batch's handler: the replies are delivered, then the report.
            if (batch.readonly && batch.context)
                batch.context->post_report(&hiredis_context_owner::on_readonly_reply, true);
        }
    } catch (...) {
        // Out of memory copying a reply: the batch fails via its deadline.
    }
}

void hiredis_context::on_connect(const redisAsyncContext* context, int status) noexcept {
    try {
        if (status != REDIS_OK) return;  // hiredis frees the context; cleanup reports it
        static_cast<hiredis_context*>(context->ev.data)
            ->post_report(&hiredis_context_owner::on_context_connected, true);
    } catch (...) {
    }
}

void hiredis_context::on_disconnect(const redisAsyncContext*, int) noexcept {
    // Nothing to do: the cleanup hook, which always runs, handles the context going away.
}

void hiredis_context::arm(bool read) {
    bool& armed = read ? read_armed_ : write_armed_;
    if (armed || !context_) return;
    armed = true;
    descriptor_.async_wait(read ? asio::posix::stream_descriptor::wait_read
                                : asio::posix::stream_descriptor::wait_write,
                           asio::bind_executor(strand_, [self = shared_from_this(),
                                                         read](boost::system::error_code ec) {
                               bool& armed = read ? self->read_armed_ : self->write_armed_;
                               armed = false;
                               if (ec || !self->context_) return;
                               // delRead/delWrite cannot cancel one direction in Asio: a stale
                               // wake-up is ignored.
                               if (read ? self->want_read_ : self->want_write_) {
                                   if (read)
                                       redisAsyncHandleRead(self->context_);
                                   else
                                       redisAsyncHandleWrite(self->context_);
                               }
                               // The context may have been freed inside Handle* (pitfall 3).
                               if (self->context_ && (read ? self->want_read_ : self->want_write_))
                                   self->arm(read);
                           }));
}

void hiredis_context::submit(std::vector<redis_command> commands,
                             std::chrono::milliseconds deadline, redis_batch_handler handler) {
    auto batch = std::make_shared<pending_batch>(strand_);
    batch->handler = std::move(handler);
    if (!context_ || commands.empty()) {
        batch->finish(context_ ? std::error_code{} : make_error_code(redis_error::not_connected));
        return;
    }
    batch->context = shared_from_this();
    batch->replies.resize(commands.size());
    batch->outstanding = commands.size();
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (commands[i].empty()) {  // hiredis 0.14 asserts on an empty command
            batch->replies[i] = redis_reply{redis_reply::kind::error, 0, "ERR empty command", {}};
            if (--batch->outstanding == 0) batch->finish(batch->error);
            continue;
        }
        argv.clear();
        lengths.clear();
        for (const auto& arg : commands[i]) {
            argv.push_back(arg.data());
            lengths.push_back(arg.size());
        }
        auto* slot = new reply_slot{batch, i};
        if (!context_ || redisAsyncCommandArgv(context_, on_reply, slot, int(argv.size()),
                                               argv.data(), lengths.data()) != REDIS_OK) {
            delete slot;
            if (!batch->error) batch->error = redis_error::connection_lost;
            if (--batch->outstanding == 0) batch->finish(batch->error);
        }
    }
    if (batch->done) return;
    batch->timer.expires_after(deadline);
    batch->timer.async_wait([batch](boost::system::error_code ec) {
        if (ec || batch->done) return;
        batch->finish(redis_error::timeout);
        // hiredis has no timeouts of its own: the owner decides to reset the connection.
        auto& context = *batch->context;
        if (!context.alive()) return;
        if (auto owner = context.owner_.lock()) owner->on_commands_timed_out(context.id_);
    });
}

}  // namespace optgate
