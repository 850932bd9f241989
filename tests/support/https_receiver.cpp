#include "tests/support/https_receiver.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <condition_variable>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include "core/digest.hpp"
#include "core/webhook_signature.hpp"

namespace optgate::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

struct https_receiver::state {
    std::string secret;
    asio::io_context io;
    asio::ssl::context tls{asio::ssl::context::tls_server};
    std::unique_ptr<tcp::acceptor> acceptor;
    mutable std::mutex mutex;
    behaviour mode = behaviour::take;
    std::chrono::milliseconds delay{3000};
    bool down = false, stopping = false;
    std::condition_variable changed;
    std::vector<delivery> received;
};

namespace {

// "v1=<hex>" over timestamp "." body, compared as a receiver must: in constant time.
bool signature_matches(const std::string& secret, const http::request<http::string_body>& req) {
    const auto timestamp = std::string(req[webhook_timestamp_header]);
    const auto signature = std::string(req[webhook_signature_header]);
    const std::string expected = "v1=" + to_hex(hmac_sha256(secret, timestamp + "." + req.body()));
    return !timestamp.empty() && constant_time_equal(signature, expected);
}

https_receiver::delivery read_delivery(const std::string& secret,
                                       const http::request<http::string_body>& req) {
    https_receiver::delivery d;
    d.webhook = std::string(req[webhook_name_header]);
    d.signature_ok = signature_matches(secret, req);
    try {
        d.timestamp = std::stoll(std::string(req[webhook_timestamp_header]));
        const auto body = json::parse(req.body()).as_object();
        d.gap = body.at("gap").as_bool();
        for (const auto& change : body.at("changes").as_array())
            d.changes.push_back(change.as_object());
    } catch (const std::exception&) {
        d.signature_ok = false;  // unreadable: the test sees it as refused
    }
    return d;
}

}  // namespace

std::string test_webhook_yaml(std::uint16_t port, const std::string& ca_file,
                              std::size_t batch_size) {
    return "feed:\n"
           "  webhooks:\n"
           "    - name: sis\n"
           "      url: \"https://127.0.0.1:" +
           std::to_string(port) + "/optgate/changes?district=7\"\n      secret: \"" +
           test_webhook_secret +
           "\"\n"
           "      channels: [sms]\n"
           "      programs: [district]\n"
           "      ca_file: \"" +
           ca_file + "\"\n      batch_size: " + std::to_string(batch_size) +
           "\n      timeout_seconds: 1\n      max_retry_wait_seconds: 2\n";
}

https_receiver::https_receiver(const test_tls_authority& authority, std::string secret)
    : state_(std::make_unique<state>()) {
    state_->secret = std::move(secret);
    state_->tls.use_certificate_chain(asio::buffer(authority.server_certificate_pem()));
    state_->tls.use_private_key(asio::buffer(authority.server_key_pem()), asio::ssl::context::pem);
    state_->acceptor = std::make_unique<tcp::acceptor>(
        state_->io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port_ = state_->acceptor->local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
}

https_receiver::~https_receiver() {
    {
        const std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        if (state_->acceptor) ::shutdown(state_->acceptor->native_handle(), SHUT_RDWR);
    }
    state_->changed.notify_all();
    thread_.join();
}

void https_receiver::behave(behaviour b, std::chrono::milliseconds delay) {
    const std::lock_guard lock(state_->mutex);
    state_->mode = b;
    state_->delay = delay;
}

void https_receiver::go_down() {
    const std::lock_guard lock(state_->mutex);
    state_->down = true;
    // Wakes the blocked accept; serve() closes the acceptor and waits for come_up().
    if (state_->acceptor) ::shutdown(state_->acceptor->native_handle(), SHUT_RDWR);
}

void https_receiver::come_up() {
    {
        const std::lock_guard lock(state_->mutex);
        state_->down = false;
    }
    state_->changed.notify_all();
    // Listening again before returning: the test's next step may count on it.
    for (int i = 0; i < 500; ++i) {
        {
            const std::lock_guard lock(state_->mutex);
            if (state_->acceptor) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::vector<https_receiver::delivery> https_receiver::deliveries() const {
    const std::lock_guard lock(state_->mutex);
    return state_->received;
}

std::vector<json::object> https_receiver::taken_changes() const {
    const std::lock_guard lock(state_->mutex);
    std::vector<json::object> out;
    for (const auto& d : state_->received)
        if (d.answered == 200) out.insert(out.end(), d.changes.begin(), d.changes.end());
    return out;
}

std::size_t https_receiver::posts() const {
    const std::lock_guard lock(state_->mutex);
    return state_->received.size();
}

// One connection at a time, synchronously: optgate sends one batch at a time.
void https_receiver::serve() {
    auto& s = *state_;
    for (;;) {
        {
            std::unique_lock lock(s.mutex);
            if (s.down || !s.acceptor) {
                s.acceptor.reset();
                s.changed.wait(lock, [&] { return s.stopping || !s.down; });
                if (s.stopping) return;
                auto acceptor = std::make_unique<tcp::acceptor>(s.io);
                const tcp::endpoint at(asio::ip::make_address("127.0.0.1"), port_);
                acceptor->open(at.protocol());
                acceptor->set_option(tcp::acceptor::reuse_address(true));
                acceptor->bind(at);
                acceptor->listen();
                s.acceptor = std::move(acceptor);
            }
            if (s.stopping) return;
        }
        boost::system::error_code ec;
        tcp::socket socket(s.io);
        s.acceptor->accept(socket, ec);
        if (ec) continue;  // shut down for go_down() or the destructor: the loop sees which
        timeval limit{5, 0};
        ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        asio::ssl::stream<tcp::socket> stream(std::move(socket), s.tls);
        stream.handshake(asio::ssl::stream_base::server, ec);
        if (ec) continue;  // e.g. a sender that does not trust this authority
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(stream, buffer, req, ec);
        if (ec) continue;
        auto d = read_delivery(s.secret, req);
        const bool signature_ok = d.signature_ok;
        behaviour mode;
        std::chrono::milliseconds delay;
        std::size_t index = 0;
        {
            const std::lock_guard lock(s.mutex);
            mode = s.mode;
            delay = s.delay;
            index = s.received.size();
            s.received.push_back(std::move(d));  // its answer is filled in below
        }
        if (mode == behaviour::slow) hold_answer(stream.next_layer().native_handle(), delay);
        http::response<http::string_body> res{mode == behaviour::fail || !signature_ok
                                                  ? http::status::internal_server_error
                                                  : http::status::ok,
                                              11};
        res.set(http::field::content_type, "application/json");
        res.body() = "{}";
        res.prepare_payload();
        http::write(stream, res, ec);
        // After a slow answer the sender has given up: it counts as none.
        const int answered =
            !ec && mode != behaviour::slow && signature_ok ? static_cast<int>(res.result_int()) : 0;
        stream.shutdown(ec);
        const std::lock_guard lock(s.mutex);
        s.received[index].answered = answered;
    }
}

// Waits `delay` before answering, or less: until the receiver stops or the sender has closed
// the connection (it gave up, or stopped), as a server would notice.
void https_receiver::hold_answer(int socket, std::chrono::milliseconds delay) {
    auto& s = *state_;
    const auto until = std::chrono::steady_clock::now() + delay;
    std::unique_lock lock(s.mutex);
    while (!s.stopping && std::chrono::steady_clock::now() < until) {
        s.changed.wait_for(lock, std::chrono::milliseconds(20));
        pollfd hung_up{socket, POLLRDHUP, 0};  // whatever bytes may wait before the end
        if (::poll(&hung_up, 1, 0) != 0) return;
    }
}

}  // namespace optgate::testing
