// A district's webhook receiver for tests: an HTTPS server on 127.0.0.1 with a certificate of
// a test_tls_authority, which checks each POST's signature as docs/webhooks.md tells a
// receiver to, records what it was sent, and answers as the test says (take it, fail with
// 500, answer too late, or be down: nothing listening on its port).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "tests/support/test_tls_authority.hpp"

namespace optgate::testing {

// The secret the tests' webhooks sign with.
inline constexpr const char* test_webhook_secret = "6d0f1c5e4b3a29187766554433221100ffeeddccbbaa";

// A `feed:` section with one webhook, "sis", to https://127.0.0.1:<port>/optgate/changes for
// SMS of the district program, trusting `ca_file`, in batches of `batch_size`, with a 1 s
// timeout and at most 2 s between attempts.
std::string test_webhook_yaml(std::uint16_t port, const std::string& ca_file,
                              std::size_t batch_size = 3);

class https_receiver {
  public:
    enum class behaviour { take, fail, slow };

    struct delivery {
        std::string webhook;  // the Optgate-Webhook header
        bool signature_ok = false;
        long long timestamp = 0;  // Optgate-Timestamp
        bool gap = false;
        std::vector<boost::json::object> changes;
        int answered = 0;  // the status the receiver answered (0: none, it was too slow)
    };

    https_receiver(const test_tls_authority& authority, std::string secret);
    ~https_receiver();
    https_receiver(const https_receiver&) = delete;
    https_receiver& operator=(const https_receiver&) = delete;

    std::uint16_t port() const { return port_; }
    // `slow`: the answer comes after `delay` (longer than the sender's timeout), or once the
    // sender has closed the connection.
    void behave(behaviour b, std::chrono::milliseconds delay = std::chrono::seconds(3));
    // Down: stops listening (connections are refused); up: listens again on the same port.
    void go_down();
    void come_up();

    // Every POST read whole, in arrival order, whatever was answered (0 while it waits for
    // its answer).
    std::vector<delivery> deliveries() const;
    // The changes of the POSTs answered 200, in arrival order.
    std::vector<boost::json::object> taken_changes() const;
    std::size_t posts() const;

  private:
    struct state;
    void serve();
    void hold_answer(int socket, std::chrono::milliseconds delay);

    std::unique_ptr<state> state_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

}  // namespace optgate::testing
