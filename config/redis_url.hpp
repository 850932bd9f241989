// The Redis connection URL, `redis://[[user]:password@]host[:port][/db]`, read into
// redis_settings, and the "host:port" addresses of Redis Sentinels. The URL may hold a
// password, so refusals never repeat any part of it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace optgate {

// Sets host, port, database, username and password of `into` from `url`. Returns why the URL
// is refused, or nullopt when it was read. User and password may be percent-encoded.
std::optional<std::string> parse_redis_url(std::string_view url, redis_settings& into);

// Reads "host:port" or "[IPv6]:port" (the port is required) into `into`. Returns why the
// text is refused, or nullopt when it was read.
std::optional<std::string> parse_sentinel_address(std::string_view text, sentinel_address& into);

}  // namespace optgate
