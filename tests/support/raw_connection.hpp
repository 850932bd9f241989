// A plain TCP connection to a loopback port, for what the HTTP client never sends: partial or
// slow requests, connections held open. Blocking, with a deadline on every read.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace optgate::testing {

class raw_connection {
  public:
    explicit raw_connection(std::uint16_t port);  // throws if it cannot connect
    ~raw_connection();
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;

    // Writes all of `bytes`; false if the peer has closed or reset the connection.
    bool send(std::string_view bytes);

    struct read_result {
        std::string bytes;  // everything that arrived
        bool closed;        // the peer closed (or reset) before `timeout`
    };
    // Reads until the peer closes the connection or `timeout` passes.
    read_result read_until_closed(std::chrono::milliseconds timeout);
    // Reads until what arrived contains `needle`, the peer closes or `timeout` passes.
    read_result read_until(std::string_view needle, std::chrono::milliseconds timeout);

    void close();

  private:
    int fd_ = -1;
};

}  // namespace optgate::testing
