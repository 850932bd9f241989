#include "adapters/webhooks/https_poster.hpp"

#include <stdexcept>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace optgate {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using boost::system::error_code;

// A receiver's answer is read only for its status: its body is cut short here.
constexpr std::uint64_t answer_body_limit = 64 * 1024;

}  // namespace

// One exchange, kept alive by the handlers it hands to Asio; runs on its strand.
struct https_poster::exchange : std::enable_shared_from_this<exchange> {
    const asio::any_io_executor strand;
    https_request request;
    https_poster::handler done;
    std::shared_ptr<ssl::context> tls;  // outlives the stream
    asio::ip::tcp::resolver resolver;
    asio::steady_timer resolve_timer;
    ssl::stream<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> message;
    http::response_parser<http::string_body> answer;
    std::chrono::steady_clock::time_point deadline;
    // Set by stop(): a step whose completion was already queued starts nothing more.
    bool stopped = false;

    exchange(asio::any_io_executor executor, std::shared_ptr<ssl::context> context, https_request r,
             https_poster::handler d)
        : strand(executor),
          request(std::move(r)),
          done(std::move(d)),
          tls(std::move(context)),
          resolver(executor),
          resolve_timer(executor),
          stream(executor, *tls) {
        answer.body_limit(answer_body_limit);
    }

    void fail(const char* step, error_code ec) {
        std::string why = ec == beast::error::timeout
                              ? "timed out after " + std::to_string(request.timeout.count()) + " ms"
                              : ec.message();
        finish({0, std::string(step) + ": " + why});
    }

    void finish(https_result result) {
        error_code ignored;
        beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both,
                                                          ignored);
        beast::get_lowest_layer(stream).close();
        if (auto d = std::exchange(done, nullptr)) d(std::move(result));
    }

    void stop() {
        stopped = true;
        resolve_timer.cancel();
        resolver.cancel();
        finish({0, https_poster::stopped_error});
    }

    void start() {
        if (stopped) return;
        deadline = std::chrono::steady_clock::now() + request.timeout;
        // The stream's deadline does not cover name resolution: a timer of its own cancels it.
        resolve_timer.expires_at(deadline);
        resolve_timer.async_wait([self = shared_from_this()](error_code ec) {
            if (!ec) self->resolver.cancel();
        });
        resolver.async_resolve(
            request.host, request.port,
            [self = shared_from_this()](error_code ec,
                                        const asio::ip::tcp::resolver::results_type& found) {
                self->resolve_timer.cancel();
                if (ec == asio::error::operation_aborted) ec = beast::error::timeout;
                if (ec) return self->fail("resolve", ec);
                self->connect(found);
            });
    }

    void connect(const asio::ip::tcp::resolver::results_type& found) {
        if (stopped) return;
        beast::get_lowest_layer(stream).expires_at(deadline);
        beast::get_lowest_layer(stream).async_connect(
            found, [self = shared_from_this()](error_code ec, const auto&) {
                if (ec) return self->fail("connect", ec);
                self->handshake();
            });
    }

    void handshake() {
        if (stopped) return;
        // SNI (never for an IP address: RFC 6066), and the certificate must name the host the
        // URL names (an IP address: in its subjectAltName).
        error_code not_ip;
        asio::ip::make_address(request.host, not_ip);
        if (not_ip && !SSL_set_tlsext_host_name(stream.native_handle(), request.host.c_str()))
            return finish({0, "TLS: cannot set the server name"});
        stream.set_verify_callback(ssl::host_name_verification(request.host));
        stream.async_handshake(ssl::stream_base::client,
                               [self = shared_from_this()](error_code ec) {
                                   if (ec) return self->fail("TLS handshake", ec);
                                   self->write();
                               });
    }

    void write() {
        if (stopped) return;
        message = {http::verb::post, request.target, 11};
        message.set(http::field::host, host_header());
        message.set(http::field::content_type, "application/json");
        message.set(http::field::user_agent, "optgate/" OPTGATE_VERSION);
        message.set(http::field::connection, "close");
        for (const auto& [name, value] : request.headers) message.set(name, value);
        message.body() = std::move(request.body);
        message.prepare_payload();
        http::async_write(stream, message, [self = shared_from_this()](error_code ec, std::size_t) {
            if (ec) return self->fail("send", ec);
            self->read();
        });
    }

    // RFC 9110: the host as the URL writes it (an IPv6 address in brackets), and the port
    // unless it is https's own.
    std::string host_header() const {
        const bool v6 = request.host.find(':') != std::string::npos;
        std::string host = v6 ? "[" + request.host + "]" : request.host;
        if (request.port != "443") host += ":" + request.port;
        return host;
    }

    void read() {
        if (stopped) return;
        http::async_read(stream, buffer, answer,
                         [self = shared_from_this()](error_code ec, std::size_t) {
                             // The status is the answer: a body too long, or cut short by a server
                             // that
                             // closes without TLS's close_notify, does not undo it.
                             if (ec && !self->answer.is_header_done())
                                 return self->fail("answer", ec);
                             self->finish({static_cast<int>(self->answer.get().result_int()), {}});
                         });
    }
};

https_poster::https_poster(asio::any_io_executor executor, const std::string& ca_file)
    : executor_(std::move(executor)),
      tls_(std::make_shared<ssl::context>(ssl::context::tls_client)) {
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls_->set_verify_mode(ssl::verify_peer);
    error_code ec;
    if (ca_file.empty())
        tls_->set_default_verify_paths(ec);
    else
        tls_->load_verify_file(ca_file, ec);
    if (ec)
        throw std::runtime_error("cannot load the certificate authorities " +
                                 (ca_file.empty() ? std::string("of the system") : ca_file) + ": " +
                                 ec.message());
}

void https_poster::post(https_request request, handler done) {
    // A strand: the stream's deadline timer and its operation must not run at once.
    auto one = std::make_shared<exchange>(asio::make_strand(executor_), tls_, std::move(request),
                                          std::move(done));
    bool stopped = false;
    {
        const std::lock_guard lock(in_flight_mutex_);
        stopped = stopped_;
        std::erase_if(in_flight_, [](const std::weak_ptr<exchange>& e) { return e.expired(); });
        in_flight_.push_back(one);
    }
    asio::post(one->strand, [one, stopped] {
        if (stopped)
            one->stop();
        else
            one->start();
    });
}

void https_poster::stop() {
    std::vector<std::shared_ptr<exchange>> live;
    {
        const std::lock_guard lock(in_flight_mutex_);
        stopped_ = true;
        for (const auto& in_flight : in_flight_)
            if (auto one = in_flight.lock()) live.push_back(std::move(one));
        in_flight_.clear();
    }
    for (auto& one : live) asio::post(one->strand, [one] { one->stop(); });
}

}  // namespace optgate
