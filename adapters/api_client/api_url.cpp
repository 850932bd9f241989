#include "adapters/api_client/api_url.hpp"

#include <boost/url/parse.hpp>
#include <charconv>
#include <cstdint>

namespace optgate {

std::optional<api_url> parse_api_url(std::string_view text, std::string& problem) {
    auto url = boost::urls::parse_absolute_uri(text);
    if (!url) {
        problem = "not an absolute URL";
        return std::nullopt;
    }
    if (url->scheme() != "http") {
        problem = url->scheme() == "https"
                      ? "https:// is not supported: talk to optgated directly (e.g. "
                        "http://127.0.0.1:8080), not through its TLS proxy"
                      : "the scheme must be http://";
        return std::nullopt;
    }
    if (url->has_userinfo() || url->has_query() || url->has_fragment() ||
        url->encoded_host().empty()) {
        problem = "expected http://host[:port][/prefix], without user, query or fragment";
        return std::nullopt;
    }
    api_url out;
    out.host = url->host_address();
    out.port = url->has_port() ? std::string(url->port()) : "80";
    std::uint16_t port = 0;
    const char* const end = out.port.data() + out.port.size();
    const auto [stop, ec] = std::from_chars(out.port.data(), end, port);
    if (ec != std::errc() || stop != end || port == 0) {
        problem = "the port must be a number from 1 to 65535";
        return std::nullopt;
    }
    out.path_prefix = std::string(url->encoded_path());
    while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
    out.host_header = std::string(url->encoded_host_and_port());
    return out;
}

}  // namespace optgate
