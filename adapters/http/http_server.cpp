#include "adapters/http/http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "adapters/http/http_session.hpp"

namespace optgate {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

bool connection_registry::try_add(const std::shared_ptr<http_session>& s) {
    std::lock_guard lock(mutex_);
    if (sessions_.size() >= cap_) return false;
    sessions_.insert(s.get());
    weak_.push_back(s);
    return true;
}

void connection_registry::remove(http_session* s) {
    std::lock_guard lock(mutex_);
    sessions_.erase(s);
    std::erase_if(weak_, [](const auto& w) { return w.expired(); });
}

void connection_registry::drain_all() {
    std::vector<std::shared_ptr<http_session>> live;
    {
        std::lock_guard lock(mutex_);
        for (auto& w : weak_)
            if (auto s = w.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->drain();
}

std::size_t connection_registry::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

http_server::http_server(asio::io_context& ioc, const router& router, std::size_t max_connections)
    : ioc_(ioc),
      router_(router),
      acceptor_(asio::make_strand(ioc)),
      registry_(std::make_shared<connection_registry>(max_connections)),
      accept_pause_(acceptor_.get_executor()) {}

void http_server::listen(const tcp::endpoint& endpoint) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

tcp::endpoint http_server::local_endpoint() const {
    return acceptor_.local_endpoint();
}

void http_server::start() {
    accept();
}

void http_server::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
        self->accept_pause_.cancel();
        self->registry_->drain_all();
    });
}

void http_server::accept() {
    acceptor_.async_accept(
        asio::make_strand(ioc_),
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
            if (!ec) {
                auto session = std::make_shared<http_session>(std::move(socket), self->router_,
                                                              self->registry_);
                if (self->registry_->try_add(session)) {
                    session->start();
                } else {
                    // Over the cap: a short 503 and close. Never 429: Twilio does not back off.
                    session->send_overloaded();
                }
            } else {
                spdlog::warn("http: accept failed: {}; accepting again in 100 ms", ec.message());
                self->accept_pause_.expires_after(std::chrono::milliseconds(100));
                return self->accept_pause_.async_wait([self](boost::system::error_code e) {
                    if (!e) self->accept();
                });
            }
            self->accept();
        });
}

}  // namespace optgate
