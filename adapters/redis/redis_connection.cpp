#include "adapters/redis/redis_connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

#include "adapters/redis/connection_fsm.hpp"
#include "adapters/redis/redis_error.hpp"
#include "adapters/redis/sentinel_resolver.hpp"

namespace optgate {

namespace asio = boost::asio;

// What hiredis's event hooks see (ctx->ev.data). hiredis calls the hooks re-entrantly from
// inside its own functions, so they only set flags and arm waits (NOTES: pitfalls 3-6).
struct redis_connection::io_binding : std::enable_shared_from_this<io_binding> {
    io_binding(strand_type strand, int fd) : strand(strand), descriptor(strand, fd) {}

    strand_type strand;
    asio::posix::stream_descriptor descriptor;  // borrowed fd: released, never closed, by us
    redisAsyncContext* context = nullptr;       // null once hiredis has freed it
    std::weak_ptr<redis_connection> owner;
    bool want_read = false, want_write = false;
    bool read_armed = false, write_armed = false;

    void arm(bool read);
};

struct redis_connection::pending_batch {
    explicit pending_batch(strand_type s) : timer(s), strand(s) {}
    std::shared_ptr<io_binding> binding;
    std::vector<redis_reply> replies;
    std::size_t outstanding = 0;
    std::error_code error;
    bool done = false;
    bool readonly = false;  // a reply said READONLY: the server is no longer a master
    batch_handler handler;
    asio::steady_timer timer;
    strand_type strand;

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

namespace {

struct reply_slot {
    std::shared_ptr<redis_connection::pending_batch> batch;
    std::size_t index;
};

using binding = redis_connection::io_binding;

void hook_add_read(void* data) noexcept {
    auto* b = static_cast<binding*>(data);
    b->want_read = true;
    b->arm(true);
}
void hook_del_read(void* data) noexcept {
    static_cast<binding*>(data)->want_read = false;
}
void hook_add_write(void* data) noexcept {
    auto* b = static_cast<binding*>(data);
    b->want_write = true;
    b->arm(false);
}
void hook_del_write(void* data) noexcept {
    static_cast<binding*>(data)->want_write = false;
}

// The one reliable "context is gone" signal (NOTES pitfall 2). Runs before hiredis closes
// the fd, so the descriptor is released here and Asio never closes hiredis's fd.
void hook_cleanup(void* data) noexcept {
    auto* b = static_cast<binding*>(data);
    b->context = nullptr;
    b->want_read = b->want_write = false;
    b->descriptor.release();
    if (auto owner = b->owner.lock()) {
        asio::post(b->strand, [owner, self = b->shared_from_this()] {
            owner->on_context_gone_from_hook(self);
        });
    }
}

void on_reply(redisAsyncContext*, void* reply, void* privdata) noexcept {
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
            // Posted behind the batch's handler: the replies are delivered, then the reset.
            if (batch.readonly && batch.binding)
                if (auto owner = batch.binding->owner.lock())
                    asio::post(batch.strand,
                               [owner, b = batch.binding] { owner->on_readonly_from_reply(b); });
        }
    } catch (...) {
        // Out of memory copying a reply: the batch fails via its deadline.
    }
}

void on_connect(const redisAsyncContext* context, int status) noexcept {
    try {
        auto* b = static_cast<binding*>(context->ev.data);
        if (status != REDIS_OK) return;  // hiredis frees the context; cleanup reports it
        if (auto owner = b->owner.lock())
            asio::post(b->strand, [owner, self = b->shared_from_this()] {
                owner->on_connected_from_hook(self);
            });
    } catch (...) {
    }
}

void on_disconnect(const redisAsyncContext*, int) noexcept {
    // Nothing to do: the cleanup hook, which always runs, handles the context going away.
}

}  // namespace

void redis_connection::io_binding::arm(bool read) {
    bool& armed = read ? read_armed : write_armed;
    if (armed || !context) return;
    armed = true;
    descriptor.async_wait(read ? asio::posix::stream_descriptor::wait_read
                               : asio::posix::stream_descriptor::wait_write,
                          asio::bind_executor(strand, [self = shared_from_this(),
                                                       read](boost::system::error_code ec) {
                              bool& armed = read ? self->read_armed : self->write_armed;
                              armed = false;
                              if (ec || !self->context) return;
                              const bool wanted = read ? self->want_read : self->want_write;
                              if (wanted) {
                                  if (read)
                                      redisAsyncHandleRead(self->context);
                                  else
                                      redisAsyncHandleWrite(self->context);
                              }
                              // The context may have been freed inside Handle* (pitfall 3).
                              if (self->context && (read ? self->want_read : self->want_write))
                                  self->arm(read);
                          }));
}

std::shared_ptr<redis_connection> redis_connection::create(asio::any_io_executor executor,
                                                           redis_endpoint endpoint,
                                                           redis_connection_options options) {
    return std::shared_ptr<redis_connection>(
        new redis_connection(std::move(executor), std::move(endpoint), options));
}

redis_connection::redis_connection(asio::any_io_executor executor, redis_endpoint endpoint,
                                   redis_connection_options options)
    : strand_(asio::make_strand(executor)),
      endpoint_(std::move(endpoint)),
      options_(options),
      connect_timer_(strand_),
      reconnect_timer_(strand_),
      backoff_(options.backoff_min) {
    if (endpoint_.uses_sentinel())
        resolver_ = sentinel_resolver::create(strand_, endpoint_.sentinel_master,
                                              endpoint_.sentinels, options_.sentinel_timeout);
    else
        server_ = {endpoint_.host, endpoint_.port};
}

redis_connection::~redis_connection() {
    if (binding_ && binding_->context) {
        binding_->owner.reset();
        redisAsyncFree(binding_->context);
    }
}

std::string redis_connection::describe() const {
    const std::string db = "/" + std::to_string(endpoint_.database);
    if (endpoint_.uses_sentinel()) return "sentinel:" + endpoint_.sentinel_master + db;
    return endpoint_.host + ":" + std::to_string(endpoint_.port) + db;
}

std::string redis_connection::where() const {
    if (!resolver_ || server_.host.empty()) return describe();
    return describe() + " (" + server_.text() + ")";
}

void redis_connection::start() {
    asio::post(strand_, [self = shared_from_this()] { self->connect(); });
}

void redis_connection::stop() {
    asio::post(strand_, [self = shared_from_this()] {
        self->stopping_ = true;
        self->connected_ = false;
        self->connect_timer_.cancel();
        self->reconnect_timer_.cancel();
        if (self->resolver_) self->resolver_->cancel();
        if (self->binding_ && self->binding_->context) redisAsyncFree(self->binding_->context);
    });
}

void redis_connection::connect() {
    if (stopping_) return;
    if (!resolver_) return connect_to(server_);
    resolver_->resolve([self = shared_from_this()](std::optional<redis_address> master) {
        self->on_master_named(master);
    });
}

void redis_connection::on_master_named(const std::optional<redis_address>& master) {
    if (stopping_) return;
    if (!master) {
        if (!reported_down_)
            spdlog::warn("redis {}: no sentinel named the master; asking again", describe());
        reported_down_ = true;
        return schedule_reconnect();
    }
    if (*master != server_) {
        const bool moved = !server_.host.empty();
        spdlog::log(moved ? spdlog::level::warn : spdlog::level::info,
                    "redis {}: the sentinels name {} as master{}", describe(), master->text(),
                    moved ? " (it was " + server_.text() + ")" : std::string());
        server_ = *master;
    }
    connect_to(server_);
}

void redis_connection::connect_to(const redis_address& server) {
    redisAsyncContext* context = redisAsyncConnect(server.host.c_str(), server.port);
    if (!context) {
        schedule_reconnect();
        return;
    }
    if (context->err) {
        if (!reported_down_) spdlog::warn("redis {}: cannot connect: {}", where(), context->errstr);
        reported_down_ = true;
        redisAsyncFree(context);
        schedule_reconnect();
        return;
    }
    auto b = std::make_shared<io_binding>(strand_, context->c.fd);
    b->context = context;
    b->owner = weak_from_this();
    binding_ = b;
    // The hooks must be in place before the connect callback is set: setting it already
    // asks for a write event (pitfall 1).
    context->ev.data = b.get();
    context->ev.addRead = hook_add_read;
    context->ev.delRead = hook_del_read;
    context->ev.addWrite = hook_add_write;
    context->ev.delWrite = hook_del_write;
    context->ev.cleanup = hook_cleanup;
    redisAsyncSetDisconnectCallback(context, on_disconnect);
    redisAsyncSetConnectCallback(context, on_connect);

    connect_timer_.expires_after(options_.connect_timeout);
    connect_timer_.async_wait([self = shared_from_this(), b](boost::system::error_code ec) {
        if (ec || self->binding_ != b || self->connected_ || !b->context) return;
        if (!self->reported_down_) spdlog::warn("redis {}: connect timed out", self->where());
        self->reported_down_ = true;
        redisAsyncFree(b->context);
    });
}

void redis_connection::on_connected_from_hook(const std::shared_ptr<io_binding>& b) {
    if (binding_ != b || !b->context) return;
    std::vector<command> setup;
    if (!endpoint_.password.empty()) {
        if (endpoint_.username.empty())
            setup.push_back({"AUTH", endpoint_.password});
        else
            setup.push_back({"AUTH", endpoint_.username, endpoint_.password});
    }
    setup.push_back({"SELECT", std::to_string(endpoint_.database)});
    if (resolver_) setup.push_back({"ROLE"});
    submit(
        std::move(setup), options_.connect_timeout,
        [self = shared_from_this(), b](std::error_code ec, std::vector<redis_reply> replies) {
            if (self->binding_ != b) return;
            const std::size_t checked = replies.size() - (self->resolver_ && !ec ? 1 : 0);
            for (std::size_t i = 0; i < checked; ++i)
                if (replies[i].is_error()) {
                    // AUTH's refusal never repeats the password: Redis's text names none.
                    spdlog::error("redis {}: set-up refused: {}", self->where(), replies[i].str);
                    ec = redis_error::server_error;
                }
            if (!ec && self->resolver_)
                if (const auto problem = not_a_master(replies.back())) {
                    if (!self->reported_down_)
                        spdlog::warn("redis {}: {}; asking the sentinels again", self->where(),
                                     *problem);
                    self->reported_down_ = true;
                    ec = redis_error::unexpected_reply;
                }
            if (ec) {
                if (b->context) redisAsyncFree(b->context);
                return;
            }
            self->connect_timer_.cancel();
            self->backoff_ = self->options_.backoff_min;
            if (self->reported_down_) spdlog::info("redis {}: connected", self->where());
            self->reported_down_ = false;
            self->connected_ = true;
            if (self->connected_handler_) self->connected_handler_();
        },
        true);
}

void redis_connection::on_context_gone_from_hook(const std::shared_ptr<io_binding>& b) {
    if (binding_ != b) return;
    binding_.reset();
    connect_timer_.cancel();
    if (connected_ && !stopping_) spdlog::warn("redis {}: connection lost", where());
    if (connected_) reported_down_ = true;
    connected_ = false;
    if (!stopping_) schedule_reconnect();
}

void redis_connection::on_readonly_from_reply(const std::shared_ptr<io_binding>& b) {
    // Without Sentinel a reconnection would land on the same server: nothing to gain.
    if (binding_ != b || !resolver_) return;
    drop("READONLY: no longer the master");
}

void redis_connection::reconnect(std::string reason) {
    asio::post(strand_,
               [self = shared_from_this(), reason = std::move(reason)] { self->drop(reason); });
}

void redis_connection::drop(const std::string& reason) {
    if (!binding_ || !binding_->context || stopping_) return;
    spdlog::warn("redis {}: {}; connecting again", where(), reason);
    connected_ = false;
    reported_down_ = true;
    redisAsyncFree(binding_->context);  // cleanup reports it; the reconnection asks the sentinels
}

void redis_connection::schedule_reconnect() {
    if (stopping_) return;
    reconnect_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, options_.backoff_max);
    reconnect_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->connect();
    });
}

void redis_connection::execute(std::vector<command> commands, std::chrono::milliseconds deadline,
                               batch_handler handler) {
    asio::post(strand_, [self = shared_from_this(), commands = std::move(commands), deadline,
                         handler = std::move(handler)]() mutable {
        self->submit(std::move(commands), deadline, std::move(handler), false);
    });
}

void redis_connection::submit(std::vector<command> commands, std::chrono::milliseconds deadline,
                              batch_handler handler, bool internal) {
    auto batch = std::make_shared<pending_batch>(strand_);
    batch->handler = std::move(handler);
    const bool usable = binding_ && binding_->context && (internal || connected_);
    if (!usable || commands.empty()) {
        batch->finish(usable ? std::error_code{} : make_error_code(redis_error::not_connected));
        return;
    }
    batch->binding = binding_;
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
        if (!binding_ || !binding_->context ||
            redisAsyncCommandArgv(binding_->context, on_reply, slot, int(argv.size()), argv.data(),
                                  lengths.data()) != REDIS_OK) {
            delete slot;
            if (!batch->error) batch->error = redis_error::connection_lost;
            if (--batch->outstanding == 0) batch->finish(batch->error);
        }
    }
    if (batch->done) return;
    batch->timer.expires_after(deadline);
    batch->timer.async_wait([self = shared_from_this(), batch](boost::system::error_code ec) {
        if (ec || batch->done) return;
        spdlog::warn("redis {}: commands timed out; resetting the connection", self->where());
        batch->finish(redis_error::timeout);
        if (batch->binding && batch->binding->context) redisAsyncFree(batch->binding->context);
    });
}

}  // namespace optgate
