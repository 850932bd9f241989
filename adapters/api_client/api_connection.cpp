#include "adapters/api_client/api_connection.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace optgate {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

constexpr std::size_t whole_body_limit = 64 * 1024 * 1024;
constexpr std::size_t piece_size = 256 * 1024;

}  // namespace

struct api_connection::state {
    api_url url;
    std::string authorization;
    std::chrono::milliseconds timeout;
    asio::io_context io;
    beast::tcp_stream stream{io};
    beast::flat_buffer buffer;
    bool connected = false;
    std::unique_ptr<char[]> piece = std::make_unique<char[]>(piece_size);

    // Starts one asynchronous operation under the deadline and runs it to completion: the
    // blocking call with a timeout that Asio's synchronous operations lack.
    template <class Start>
    error_code run(Start start) {
        error_code result;
        stream.expires_after(timeout);
        start([&result](error_code ec, auto&&...) { result = ec; });
        io.restart();
        io.run();
        return result;
    }

    error_code connect() {
        error_code ec;
        asio::ip::tcp::resolver resolver(io);
        const auto endpoints = resolver.resolve(url.host, url.port, ec);
        if (ec) return ec;
        ec = run([&](auto handler) { stream.async_connect(endpoints, std::move(handler)); });
        connected = !ec;
        return ec;
    }

    void close() {
        error_code ignored;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        stream.close();
        buffer.clear();
        connected = false;
    }

    // Writes the request and reads the reply; `answered` tells whether any of the reply came.
    boost::system::result<api_reply> exchange(const http::request<http::string_body>& request,
                                              const body_sink* sink, bool& answered) {
        answered = false;
        if (auto ec = run([&](auto h) { http::async_write(stream, request, std::move(h)); }))
            return ec;
        http::response_parser<http::buffer_body> parser;
        parser.body_limit(boost::none);
        auto ec =
            run([&](auto h) { http::async_read_header(stream, buffer, parser, std::move(h)); });
        answered = parser.got_some();
        if (ec) return ec;
        const auto& head = parser.get();
        api_reply reply;
        reply.status = head.result_int();
        reply.content_type = std::string(head[http::field::content_type]);
        reply.retry_after = std::string(head[http::field::retry_after]);
        reply.next_cursor = std::string(head["Optgate-Next-Cursor"]);
        const bool to_sink = sink && reply.status / 100 == 2;
        while (!parser.is_done()) {
            parser.get().body().data = piece.get();
            parser.get().body().size = piece_size;
            ec = run([&](auto h) { http::async_read(stream, buffer, parser, std::move(h)); });
            if (ec == http::error::need_buffer) ec = {};
            // What came before an error is handed on first: a streamed answer the daemon cut
            // short ends with its reason (`],"error":{...}`), which the caller reports.
            const std::string_view got(piece.get(), piece_size - parser.get().body().size);
            if (!got.empty() && to_sink) {
                if (!(*sink)(got) && !ec) return error_code(asio::error::operation_aborted);
            } else if (!got.empty()) {
                if (reply.body.size() + got.size() > whole_body_limit)
                    return error_code(http::error::body_limit);
                reply.body.append(got);
            }
            if (ec) return ec;
        }
        if (!parser.keep_alive()) close();
        return reply;
    }

    boost::system::result<api_reply> send(api_request r, const body_sink* sink) {
        http::request<http::string_body> request{r.method, url.path_prefix + r.target, 11};
        request.set(http::field::host, url.host_header);
        request.set(http::field::user_agent, "optgatectl");
        if (!authorization.empty()) request.set(http::field::authorization, authorization);
        if (!r.content_type.empty()) request.set(http::field::content_type, r.content_type);
        request.body() = std::move(r.body);
        request.keep_alive(true);
        request.prepare_payload();
        // A kept-alive connection may have been closed by the daemon while idle: then the
        // request is sent once more on a new one. Every request optgatectl sends may be
        // repeated (reads, and PUTs that carry their request id).
        for (int attempt = 0;; ++attempt) {
            const bool reused = connected;
            if (!connected)
                if (auto ec = connect()) return ec;
            bool answered = false;
            auto reply = exchange(request, sink, answered);
            if (!reply) close();
            if (reply || !reused || answered || attempt > 0) return reply;
        }
    }
};

api_connection::api_connection(api_url url, std::string api_key, std::chrono::milliseconds timeout)
    : state_(std::make_unique<state>()) {
    state_->url = std::move(url);
    if (!api_key.empty()) state_->authorization = "Bearer " + api_key;
    state_->timeout = timeout;
}

api_connection::~api_connection() {
    if (state_->connected) state_->close();
}

boost::system::result<api_reply> api_connection::send(api_request request) {
    return state_->send(std::move(request), nullptr);
}

boost::system::result<api_reply> api_connection::send(api_request request, const body_sink& sink) {
    return state_->send(std::move(request), &sink);
}

}  // namespace optgate
