#include "adapters/http/http_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "adapters/http/http_response.hpp"
#include "adapters/http/http_server.hpp"
#include "adapters/http/request_id.hpp"

namespace optgate {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr std::size_t header_limit = 8 * 1024;
// How long a refused request's remaining body is read and discarded (nginx's lingering_time);
// shorter for a connection over the cap, which must not hold its place long.
constexpr std::chrono::seconds discard_deadline{5};
constexpr std::chrono::seconds overloaded_discard_deadline{1};

}  // namespace

http_session::http_session(asio::ip::tcp::socket socket, const router& router,
                           std::shared_ptr<connection_registry> registry)
    : stream_(std::move(socket)), router_(router), registry_(std::move(registry)) {
    if (auto* m = router_.metrics()) ++m->open_connections;
}

http_session::~http_session() {
    if (auto* m = router_.metrics()) --m->open_connections;
    registry_->remove(this);
}

void http_session::start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
}

void http_session::send_overloaded() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        http_request none;
        none.version(11);
        none.keep_alive(false);
        auto res = unavailable_response(none, "too many open connections");
        self->start_timing("other");
        self->stream_.expires_after(std::chrono::seconds(5));
        self->discard_for_ = overloaded_discard_deadline;
        self->write(std::move(res));
    });
}

void http_session::drain() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        self->draining_ = true;
        if (self->idle_) self->close();
    });
}

void http_session::read_header() {
    if (draining_) return close();
    parser_.emplace();
    context_.request_id.clear();
    method_ = "-";
    parser_->header_limit(header_limit);
    // Beast checks Content-Length against the body limit while parsing the header: lift it
    // here; on_header applies the route's own limit once the path is known.
    parser_->body_limit(boost::none);
    idle_ = buffer_.size() == 0;
    stream_.expires_after(router_.header_deadline());
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void http_session::on_header(beast::error_code ec) {
    idle_ = false;
    if (ec == http::error::header_limit)
        return reject(http::status::request_header_fields_too_large, "headers_too_large",
                      "request headers exceed 8 KiB");
    if (ec) return close();
    context_.request_id = request_id_for(parser_->get()["X-Request-Id"]);
    const auto method = http::to_string(parser_->get().method());
    method_ = std::string_view(method.data(), method.size());
    limits_ = router_.limits_for(parser_->get().method(), parser_->get().target());
    if (const auto length = parser_->content_length(); length && *length > limits_.body_limit)
        return reject(http::status::payload_too_large, "body_too_large",
                      "request body exceeds " + std::to_string(limits_.body_limit) + " bytes");
    if (limits_.before_body)
        if (auto refusal = limits_.before_body(parser_->get())) return reject(std::move(*refusal));
    parser_->body_limit(limits_.body_limit);
    stream_.expires_after(limits_.deadline);
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
        auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
        return http::async_write(
            stream_, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
                if (e) return self->close();
                self->read_body();
            });
    }
    read_body();
}

void http_session::read_body() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
}

void http_session::on_body(beast::error_code ec) {
    if (ec == http::error::body_limit)
        return reject(http::status::payload_too_large, "body_too_large",
                      "request body exceeds " + std::to_string(limits_.body_limit) + " bytes");
    if (ec) return close();  // timeout (slow client), reset, malformed framing: nothing to answer
    start_timing(router_.route_name(parser_->get().target()));
    context_.request = parser_->release();
    router_.dispatch(context_, shared_from_this());
}

void http_session::reject(http::status status, std::string_view code, std::string_view message) {
    http_request req;
    req.version(parser_ ? parser_->get().version() : 11);
    reject(error_response(req, status, code, message));
}

void http_session::reject(http_response refusal) {
    const bool have_target = parser_ && parser_->is_header_done();
    start_timing(have_target ? router_.route_name(parser_->get().target()) : "other");
    refusal.keep_alive(false);  // the rest of this request is unread: no reuse
    discard_for_ = discard_deadline;
    write(std::move(refusal));
}

void http_session::send(http_response response) {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this(), response = std::move(response)]() mutable {
                       self->write(std::move(response));
                   });
}

void http_session::write(http_response response) {
    if (draining_) response.keep_alive(false);
    if (!context_.request_id.empty()) response.set("X-Request-Id", context_.request_id);
    const bool keep_alive = response.keep_alive();
    status_ = response.result_int();
    auto message = std::make_shared<http_response>(std::move(response));
    pending_write_ = message;
    stream_.expires_after(limits_.deadline);
    http::async_write(stream_, *message,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                          self->after_write(keep_alive, ec);
                      });
}

void http_session::after_write(bool keep_alive, beast::error_code ec) {
    pending_write_.reset();
    record_answered();
    if (!ec && discard_for_) return close_after_discarding_the_rest();
    if (ec || !keep_alive) return close();
    read_header();
}

void http_session::stream(http_response head, chunk_source source) {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this(), head = std::move(head),
                                            source = std::move(source)]() mutable {
        if (self->draining_) head.keep_alive(false);
        head.set("X-Request-Id", self->context_.request_id);
        self->status_ = head.result_int();
        http::response<http::empty_body> header{std::move(head.base())};
        // HTTP/1.0 has no chunked encoding: the body is sent as it is and ends when the
        // connection closes (a cut one is then told by its content alone).
        const bool chunked = header.version() >= 11;
        if (chunked) {
            header.chunked(true);
        } else {
            header.keep_alive(false);
            header.erase(http::field::content_length);
        }
        auto message = std::make_shared<http::response<http::empty_body>>(std::move(header));
        auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*message);
        self->pending_write_ = message;
        // One deadline for the whole answer, not one per piece: a client that reads a piece
        // now and then cannot hold a request (and what it holds) open for hours.
        self->stream_.expires_after(self->limits_.deadline);
        http::async_write_header(self->stream_, *sr,
                                 [self, sr, chunked, source = std::move(source)](
                                     beast::error_code ec, std::size_t) mutable {
                                     if (ec) return self->close();
                                     self->write_next_chunk(sr, chunked, std::move(source));
                                 });
    });
}

void http_session::write_next_chunk(std::shared_ptr<http::response_serializer<http::empty_body>> sr,
                                    bool chunked, chunk_source source) {
    auto self = shared_from_this();
    auto on_chunk = [self, sr, chunked, source](std::optional<std::string> chunk) mutable {
        asio::dispatch(self->stream_.get_executor(), [self, sr, chunked, source = std::move(source),
                                                      chunk = std::move(chunk)]() mutable {
            const bool keep_alive = sr->get().keep_alive();
            if (!chunk && !chunked) return self->after_write(false, {});
            if (!chunk) {
                return asio::async_write(self->stream_, http::make_chunk_last(),
                                         [self, keep_alive](beast::error_code ec, std::size_t) {
                                             self->after_write(keep_alive, ec);
                                         });
            }
            auto data = std::make_shared<std::string>(std::move(*chunk));
            auto written = [self, sr, chunked, data, source = std::move(source)](
                               beast::error_code ec, std::size_t) mutable {
                if (ec) return self->close();
                self->write_next_chunk(sr, chunked, std::move(source));
            };
            if (chunked)
                asio::async_write(self->stream_, http::make_chunk(asio::buffer(*data)),
                                  std::move(written));
            else
                asio::async_write(self->stream_, asio::buffer(*data), std::move(written));
        });
    };
    // The answer cut short by its producer: logged and counted as answered (its status was
    // sent), and the connection closed without the last chunk.
    auto on_abort = [self] {
        asio::dispatch(self->stream_.get_executor(), [self] {
            self->record_answered(" (cut short)");
            self->close();
        });
    };
    source(chunk_sink{std::move(on_chunk), std::move(on_abort)});
}

void http_session::start_timing(std::string_view route) {
    started_ = std::chrono::steady_clock::now();
    route_ = route;
}

void http_session::record_answered(std::string_view note) {
    if (!started_) return;
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - *started_;
    started_.reset();
    if (auto* m = router_.metrics()) {
        const label_values route{std::string(route_)};
        m->requests.increment({route[0], std::to_string(status_)});
        m->request_seconds.observe(route, elapsed.count());
    }
    // The route's pattern, never the target: a path may hold an address or a link's token.
    spdlog::info("[req {}] {} {} answered {} in {:.1f} ms{}",
                 context_.request_id.empty() ? "-" : context_.request_id, method_, route_, status_,
                 elapsed.count() * 1000, note);
}

void http_session::close_after_discarding_the_rest() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.expires_after(*discard_for_);
    idle_ = true;  // nothing more is owed to this client: a drain may close it now
    discard_input(std::make_shared<std::array<char, 16 * 1024>>());
}

void http_session::discard_input(std::shared_ptr<std::array<char, 16 * 1024>> scratch) {
    auto& buffer = *scratch;
    stream_.async_read_some(
        asio::buffer(buffer), [self = shared_from_this(), scratch = std::move(scratch)](
                                  beast::error_code ec, std::size_t) {
            if (ec) return self->close();  // the client closed, or the deadline passed
            self->discard_input(std::move(scratch));
        });
}

void http_session::close() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
}

}  // namespace optgate
