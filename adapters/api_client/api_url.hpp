// Where optgatectl finds the daemon: an http:// base URL (host, port, optional path prefix).
// https:// is refused on purpose: optgatectl talks to optgated directly, e.g. on the
// loopback, not through the TLS proxy that faces the providers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace optgate {

struct api_url {
    std::string host;         // a name or an IP address, IPv6 without brackets
    std::string port;         // "8080"; 80 when the URL names none
    std::string path_prefix;  // "" or "/optgate" (no trailing slash): put before every target
    std::string host_header;  // "127.0.0.1:8080", as the Host header carries it
};

// nullopt with `problem` set for anything but http://host[:port][/prefix] without a query,
// fragment or user info.
std::optional<api_url> parse_api_url(std::string_view text, std::string& problem);

}  // namespace optgate
