// Where a redis_connection connects: one server, or the master that a group of Redis
// Sentinels names; and the credentials and database to use there.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace optgate {

struct redis_settings;

struct redis_address {
    std::string host;
    std::uint16_t port = 0;

    std::string text() const;  // "10.0.0.5:6379", "[::1]:6379"
    friend bool operator==(const redis_address&, const redis_address&) = default;
};

struct redis_endpoint {
    std::string host = "127.0.0.1";  // not used when sentinels are given
    std::uint16_t port = 6379;       // not used when sentinels are given
    std::string username;            // for AUTH on the server (the master), not the sentinels
    std::string password;
    int database = 0;
    // When sentinels are given, they are asked before each connection attempt, in this order,
    // where the master named sentinel_master is.
    std::string sentinel_master;
    std::vector<redis_address> sentinels;

    bool uses_sentinel() const { return !sentinels.empty(); }
};

// The endpoint the daemon's configuration describes.
redis_endpoint endpoint_from(const redis_settings& settings);

}  // namespace optgate
