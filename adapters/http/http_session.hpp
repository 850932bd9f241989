// One client connection: reads a request (header first, then the body under the route's
// limit and deadline), hands it to the router, writes the answer, and repeats (keep-alive).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

#include "adapters/http/router.hpp"

namespace optgate {

class connection_registry;

// Threads: everything happens on the strand of the session's socket; send() and stream()
// may be called from any thread and hop onto it.
class http_session : public std::enable_shared_from_this<http_session>, public reply_channel {
  public:
    http_session(boost::asio::ip::tcp::socket socket, const router& router,
                 std::shared_ptr<connection_registry> registry);
    ~http_session() override;

    void start();
    // For a connection over the cap: answers 503, discards what the client sends for a
    // second (so that the answer is not lost to a reset), and closes.
    void send_overloaded();
    // Closes the connection if it is waiting for a request; otherwise after the response.
    void drain();

    void send(http_response response) override;
    void stream(http_response head, chunk_source source) override;

  private:
    void read_header();
    void on_header(boost::beast::error_code ec);
    void read_body();
    void on_body(boost::beast::error_code ec);
    // Answers a request whose body is not read, and closes (after discarding what comes).
    void reject(http::status status, std::string_view code, std::string_view message);
    void reject(http_response refusal);
    void write(http_response response);
    void after_write(bool keep_alive, boost::beast::error_code ec);
    void write_next_chunk(std::shared_ptr<http::response_serializer<http::empty_body>> sr,
                          bool chunked, chunk_source source);
    void close();
    // After refusing a request whose body is still coming: closing at once would make the
    // kernel answer the unread bytes with a reset, which can destroy the refusal before the
    // client reads it. So stop sending, discard what the client still sends for a while, close.
    void close_after_discarding_the_rest();
    void discard_input(std::shared_ptr<std::array<char, 16 * 1024>> scratch);
    // Metrics and the access log line: a request is timed from when it is read (or refused)
    // to its response written.
    void start_timing(std::string_view route);
    void record_answered(std::string_view note = {});

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    const router& router_;
    std::shared_ptr<connection_registry> registry_;
    std::optional<http::request_parser<http::string_body>> parser_;
    request_context context_;
    route_limits limits_;
    std::shared_ptr<void> pending_write_;  // keeps the message alive during async_write
    std::optional<std::chrono::steady_clock::time_point> started_;
    std::string_view route_;   // a pattern owned by the router, or "other"
    std::string_view method_;  // static text from Beast, "-" before a header is read
    unsigned status_ = 0;
    bool idle_ = false;
    bool draining_ = false;
    // Set when the request was refused before its body was read: how long to discard the rest.
    std::optional<std::chrono::seconds> discard_for_;
};

}  // namespace optgate
