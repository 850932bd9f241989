// The listening side: accepts connections up to a cap (Beast has none of its own), starts a
// session per connection on its own strand, and drains them on stop.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "adapters/http/router.hpp"

namespace optgate {

class http_session;

// The sessions alive now, so that stop() can drain them and the cap can be enforced.
class connection_registry {
  public:
    explicit connection_registry(std::size_t cap) : cap_(cap) {}
    bool try_add(const std::shared_ptr<http_session>& s);
    void remove(http_session* s);
    void drain_all();
    std::size_t size() const;

  private:
    mutable std::mutex mutex_;
    std::size_t cap_;
    std::unordered_set<http_session*> sessions_;
    std::vector<std::weak_ptr<http_session>> weak_;
};

// Threads: start()/stop() from any thread; accepting runs on the acceptor's strand.
class http_server : public std::enable_shared_from_this<http_server> {
  public:
    http_server(boost::asio::io_context& ioc, const router& router, std::size_t max_connections);

    // Binds and listens; throws on failure (start-up only). Port 0 picks a free port.
    void listen(const boost::asio::ip::tcp::endpoint& endpoint);
    void start();
    // Stops accepting and closes idle connections; requests in flight finish.
    void stop();
    boost::asio::ip::tcp::endpoint local_endpoint() const;
    std::size_t connections() const { return registry_->size(); }

  private:
    void accept();

    boost::asio::io_context& ioc_;
    const router& router_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<connection_registry> registry_;
    // After a failed accept (out of file descriptors: the connection stays queued), a pause
    // before the next, rather than a loop that fails as fast as it can.
    boost::asio::steady_timer accept_pause_;
};

}  // namespace optgate
