#include "config/redis_url.hpp"

#include "core/percent_encoding.hpp"

#include <cctype>
#include <cstdint>

namespace optgate {
namespace {

constexpr std::string_view url_shape = "expected redis://[[user]:password@]host[:port][/db]";
constexpr std::uint16_t default_port = 6379;

std::optional<std::uint32_t> decimal(std::string_view digits, std::uint32_t max) {
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    std::uint32_t value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (value > max) return std::nullopt;
    return value;
}

bool is_host_name(std::string_view host) {
    if (host.empty()) return false;
    for (char c : host)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return false;
    return true;
}

bool is_ipv6_text(std::string_view host) {
    if (host.empty()) return false;
    for (char c : host)
        if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    return true;
}

}  // namespace

std::optional<std::string> parse_redis_url(std::string_view url, redis_settings& into) {
    if (url.starts_with("rediss://"))
        return "TLS (rediss://) is not supported: reach Redis over a private network or a TLS "
               "tunnel, with redis://";
    constexpr std::string_view scheme = "redis://";
    if (!url.starts_with(scheme)) return std::string(url_shape);
    std::string_view rest = url.substr(scheme.size());

    redis_settings parsed = into;
    parsed.username.clear();
    parsed.password.clear();
    // The last '@' ends the user info: an unencoded '@' in a password still reads right.
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = userinfo.find(':');
        if (colon == std::string_view::npos)
            return "the user info must be [user]:password; " + std::string(url_shape);
        auto user = percent_decode(userinfo.substr(0, colon));
        auto password = percent_decode(userinfo.substr(colon + 1));
        if (!user || !password) return std::string("bad percent-encoding in the user info");
        parsed.username = std::move(*user);
        parsed.password = std::move(*password);
    }
    if (rest.find_first_of("?#") != std::string_view::npos)
        return "query parameters are not supported; " + std::string(url_shape);

    const auto slash = rest.find('/');
    const std::string_view host_port = rest.substr(0, slash);
    const std::string_view db = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    std::string_view port;
    if (host_port.starts_with('[')) {
        const auto close = host_port.find(']');
        if (close == std::string_view::npos) return std::string("unclosed [ in the host");
        parsed.host = std::string(host_port.substr(1, close - 1));
        const std::string_view after = host_port.substr(close + 1);
        if (!after.empty() && !after.starts_with(':'))
            return "unexpected text after the host; " + std::string(url_shape);
        port = after.empty() ? after : after.substr(1);
        if (!is_ipv6_text(parsed.host)) return std::string("bad IPv6 address in the host");
    } else {
        const auto colon = host_port.find(':');
        parsed.host = std::string(host_port.substr(0, colon));
        if (colon != std::string_view::npos) port = host_port.substr(colon + 1);
        if (!is_host_name(parsed.host))
            return "missing or bad host (an IPv6 address goes in brackets); " +
                   std::string(url_shape);
    }

    parsed.port = default_port;
    if (!port.empty() || host_port.ends_with(':')) {
        const auto number = decimal(port, 65535);
        if (!number || *number == 0) return std::string("the port must be from 1 to 65535");
        parsed.port = static_cast<std::uint16_t>(*number);
    }
    parsed.database = 0;
    if (!db.empty()) {
        const auto number = decimal(db, 999'999'999);
        if (!number) return std::string("the database must be a number");
        parsed.database = static_cast<int>(*number);
    }
    into = std::move(parsed);
    return std::nullopt;
}

std::optional<std::string> parse_sentinel_address(std::string_view text, sentinel_address& into) {
    constexpr std::string_view shape = "expected \"host:port\" or \"[IPv6]:port\"";
    const bool v6 = text.starts_with('[');
    const auto split = v6 ? text.find("]:") : text.rfind(':');
    if (split == std::string_view::npos) return std::string(shape);
    const std::string_view host = v6 ? text.substr(1, split - 1) : text.substr(0, split);
    if (v6 ? !is_ipv6_text(host) : !is_host_name(host)) return std::string(shape);
    const auto number = decimal(text.substr(split + (v6 ? 2 : 1)), 65535);
    if (!number || *number == 0) return "the port must be from 1 to 65535";
    into = {std::string(host), static_cast<std::uint16_t>(*number)};
    return std::nullopt;
}

}  // namespace optgate
