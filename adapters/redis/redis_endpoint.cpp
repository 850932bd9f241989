#include "adapters/redis/redis_endpoint.hpp"

#include "config/settings.hpp"

namespace optgate {

std::string redis_address::text() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

redis_endpoint endpoint_from(const redis_settings& settings) {
    redis_endpoint endpoint;
    endpoint.host = settings.host;
    endpoint.port = settings.port;
    endpoint.username = settings.username;
    endpoint.password = settings.password;
    endpoint.database = settings.database;
    if (settings.sentinel) {
        endpoint.sentinel_master = settings.sentinel->master;
        for (const auto& address : settings.sentinel->addresses)
            endpoint.sentinels.push_back({address.host, address.port});
    }
    return endpoint;
}

}  // namespace optgate
