// One POST to a district's webhook over HTTPS (Beast over OpenSSL): a new connection each
// time, the server's certificate verified against the configured authorities (or the
// system's) and its name against the URL's host, TLS 1.2 at least, and one deadline for the
// whole exchange.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

namespace optgate {

struct https_request {
    std::string host, port, target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // sent as application/json
    std::chrono::milliseconds timeout{10000};
};

// The status the receiver answered, or 0 and what kept it from answering. Never the
// receiver's body: it is not ours to log.
struct https_result {
    int status = 0;
    std::string error;
};

class https_poster {
  public:
    // Throws std::runtime_error when `ca_file` (PEM; empty: the system's authorities) cannot
    // be loaded.
    https_poster(boost::asio::any_io_executor executor, const std::string& ca_file);

    using handler = std::function<void(https_result)>;
    // Runs on the executor; the handler is called once, on it.
    void post(https_request request, handler done);

    // A clean stop: every POST in flight ends now, its connection closed whatever the
    // receiver was about to answer, and its handler gets `stopped_error`; so does any POST
    // after this. The process need not wait out a receiver that holds its answer.
    void stop();
    static constexpr const char* stopped_error = "stopped: optgate is shutting down";

  private:
    struct exchange;

    boost::asio::any_io_executor executor_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    std::mutex in_flight_mutex_;
    std::vector<std::weak_ptr<exchange>> in_flight_;  // under in_flight_mutex_, as stopped_
    bool stopped_ = false;
};

}  // namespace optgate
