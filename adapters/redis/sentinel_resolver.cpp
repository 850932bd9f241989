#include "adapters/redis/sentinel_resolver.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace optgate {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// The answer is two short strings; anything longer is not a sentinel talking.
constexpr std::size_t max_reply_bytes = 64 * 1024;

std::string resp_command(const std::vector<std::string>& args) {
    std::string out = "*" + std::to_string(args.size()) + "\r\n";
    for (const auto& arg : args) out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
    return out;
}

}  // namespace

std::optional<redis_address> master_address_from(const redis_reply& reply) {
    if (reply.type != redis_reply::kind::array || reply.elements.size() != 2) return std::nullopt;
    const auto& host = reply.elements[0];
    const auto& port = reply.elements[1];
    if (host.type != redis_reply::kind::string || host.str.empty() ||
        port.type != redis_reply::kind::string)
        return std::nullopt;
    unsigned number = 0;
    const char* end = port.str.data() + port.str.size();
    const auto [last, ec] = std::from_chars(port.str.data(), end, number);
    if (ec != std::errc() || last != end || number == 0 || number > 65535) return std::nullopt;
    return redis_address{host.str, static_cast<std::uint16_t>(number)};
}

// Resolve, connect, write, read one reply; whichever comes first of that and the deadline
// ends it. Every step runs on the strand; finish() runs once, and a completion that was
// already queued when it ran starts nothing new (async_connect would reopen the socket).
struct sentinel_resolver::query : std::enable_shared_from_this<query> {
    using done_handler = std::function<void(std::optional<redis_address>, std::string failure)>;

    query(strand_type strand, std::string request, done_handler done)
        : strand(strand),
          resolver(strand),
          socket(strand),
          timer(strand),
          request(std::move(request)),
          done(std::move(done)),
          reader(redisReaderCreate(), &redisReaderFree) {}

    void start(const redis_address& sentinel, std::chrono::milliseconds deadline) {
        if (!reader) return finish(std::nullopt, "out of memory");
        timer.expires_after(deadline);
        timer.async_wait([self = shared_from_this(), deadline](boost::system::error_code ec) {
            if (!ec)
                self->finish(std::nullopt,
                             "no answer within " + std::to_string(deadline.count()) + " ms");
        });
        resolver.async_resolve(
            sentinel.host, std::to_string(sentinel.port), tcp::resolver::numeric_service,
            [self = shared_from_this()](boost::system::error_code ec,
                                        tcp::resolver::results_type results) {
                if (self->finished) return;  // the deadline passed as this completed
                if (ec) return self->finish(std::nullopt, "cannot resolve: " + ec.message());
                asio::async_connect(self->socket, results,
                                    [self](boost::system::error_code ec, const tcp::endpoint&) {
                                        if (self->finished) return;
                                        if (ec) return self->finish(std::nullopt, ec.message());
                                        self->send();
                                    });
            });
    }

    void send() {
        asio::async_write(socket, asio::buffer(request),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              if (self->finished) return;
                              if (ec) return self->finish(std::nullopt, ec.message());
                              self->receive();
                          });
    }

    void receive() {
        socket.async_read_some(
            asio::buffer(buffer),
            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                if (self->finished) return;
                if (ec) return self->finish(std::nullopt, ec.message());
                self->on_bytes(n);
            });
    }

    void on_bytes(std::size_t n) {
        received += n;
        void* raw = nullptr;
        if (redisReaderFeed(reader.get(), buffer.data(), n) != REDIS_OK ||
            redisReaderGetReply(reader.get(), &raw) != REDIS_OK)
            return finish(std::nullopt, "unreadable reply");
        if (!raw) {
            if (received > max_reply_bytes) return finish(std::nullopt, "reply too long");
            return receive();
        }
        redis_reply reply;
        try {
            reply = copy_reply(*static_cast<redisReply*>(raw));
        } catch (...) {
            freeReplyObject(raw);
            return finish(std::nullopt, "out of memory");
        }
        freeReplyObject(raw);
        if (auto master = master_address_from(reply)) return finish(std::move(master), "");
        finish(std::nullopt, reply.is_nil()     ? "does not know this master"
                             : reply.is_error() ? "refused: " + reply.str
                                                : "unexpected reply");
    }

    void finish(std::optional<redis_address> master, std::string failure) {
        if (finished) return;
        finished = true;
        timer.cancel();
        resolver.cancel();
        boost::system::error_code ignored;
        socket.close(ignored);
        // Posted, so that whoever called finish() (cancel(), a completion) has returned first.
        asio::post(strand, [done = std::move(done), master = std::move(master),
                            failure = std::move(failure)]() mutable {
            done(std::move(master), std::move(failure));
        });
    }

    strand_type strand;
    tcp::resolver resolver;
    tcp::socket socket;
    asio::steady_timer timer;
    const std::string request;  // in use until the write completes, even after finish()
    done_handler done;
    std::unique_ptr<redisReader, void (*)(redisReader*)> reader;
    std::array<char, 512> buffer{};
    std::size_t received = 0;
    bool finished = false;
};

std::shared_ptr<sentinel_resolver> sentinel_resolver::create(
    strand_type strand, std::string master, std::vector<redis_address> sentinels,
    std::chrono::milliseconds per_sentinel) {
    return std::shared_ptr<sentinel_resolver>(
        new sentinel_resolver(strand, std::move(master), std::move(sentinels), per_sentinel));
}

sentinel_resolver::sentinel_resolver(strand_type strand, std::string master,
                                     std::vector<redis_address> sentinels,
                                     std::chrono::milliseconds per_sentinel)
    : strand_(strand),
      master_(std::move(master)),
      request_(resp_command({"SENTINEL", "get-master-addr-by-name", master_})),
      per_sentinel_(per_sentinel) {
    for (auto& address : sentinels) sentinels_.push_back({std::move(address)});
}

void sentinel_resolver::resolve(handler on_done) {
    on_done_ = std::move(on_done);
    ask(0, ++round_);
}

void sentinel_resolver::cancel() {
    ++round_;
    if (current_) current_->finish(std::nullopt, "cancelled");
    current_.reset();
    if (!on_done_) return;
    asio::post(strand_, [on_done = std::move(on_done_)] { on_done(std::nullopt); });
    on_done_ = nullptr;
}

void sentinel_resolver::ask(std::size_t index, std::uint64_t round) {
    if (index == sentinels_.size()) {
        auto on_done = std::move(on_done_);
        on_done_ = nullptr;
        on_done(std::nullopt);
        return;
    }
    current_ = std::make_shared<query>(
        strand_, request_,
        [self = shared_from_this(), index, round](std::optional<redis_address> master,
                                                  std::string failure) {
            if (round != self->round_) return;  // cancelled meanwhile
            self->current_.reset();
            sentinel& asked = self->sentinels_[index];
            if (!master) {
                if (!asked.failing)
                    spdlog::warn("redis sentinel {}: no master \"{}\" from it: {}",
                                 asked.address.text(), self->master_, failure);
                asked.failing = true;
                return self->ask(index + 1, round);
            }
            if (asked.failing)
                spdlog::info("redis sentinel {}: answers again", asked.address.text());
            asked.failing = false;
            // The sentinel that answered is asked first next time; the others keep their order.
            std::rotate(self->sentinels_.begin(), self->sentinels_.begin() + index,
                        self->sentinels_.begin() + index + 1);
            auto on_done = std::move(self->on_done_);
            self->on_done_ = nullptr;
            on_done(std::move(master));
        });
    current_->start(sentinels_[index].address, per_sentinel_);
}

}  // namespace optgate
