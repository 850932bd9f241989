#include "ctl/daemon_access.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "ctl/exit_status.hpp"

namespace optgate::ctl {
namespace {

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::optional<std::string> read_key_file(const std::string& path, std::string& problem) {
    std::ifstream in(path);
    if (!in) {
        problem = "cannot read the API key file " + path;
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return trimmed(text.str());
}

// The daemon's error message, or the body itself when it is not the API's error shape.
std::string message_of(const api_reply& reply) {
    boost::system::error_code ec;
    const auto doc = boost::json::parse(reply.body, ec);
    if (!ec && doc.is_object())
        if (const auto* error = doc.as_object().if_contains("error"); error && error->is_object())
            if (const auto* m = error->as_object().if_contains("message"); m && m->is_string())
                return std::string(m->as_string());
    return reply.body.substr(0, 200);
}

}  // namespace

std::optional<std::string> process_environment(std::string_view name) {
    const char* value = std::getenv(std::string(name).c_str());
    if (!value) return std::nullopt;
    return std::string(value);
}

std::optional<daemon_access> resolve_daemon_access(const command_line& line, const environment& env,
                                                   bool needs_key, std::string& problem) {
    daemon_access access;
    access.url_text = line.value("url").value_or(env("OPTGATE_URL").value_or(""));
    if (access.url_text.empty()) access.url_text = default_url;
    const auto url = parse_api_url(access.url_text, problem);
    if (!url) {
        problem = "--url " + access.url_text + ": " + problem;
        return std::nullopt;
    }
    access.url = *url;
    if (const auto timeout = line.value("timeout")) {
        char* end = nullptr;
        const double seconds = std::strtod(timeout->c_str(), &end);
        if (timeout->empty() || *end != '\0' || !(seconds > 0) || seconds > 86400) {
            problem = "--timeout must be a number of seconds, more than 0";
            return std::nullopt;
        }
        access.timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    }
    if (const auto file = line.value("api-key-file")) {
        const auto key = read_key_file(*file, problem);
        if (!key) return std::nullopt;
        access.api_key = *key;
    } else {
        access.api_key = trimmed(env("OPTGATE_API_KEY").value_or(""));
    }
    if (needs_key && access.api_key.empty()) {
        problem = "no API key: set OPTGATE_API_KEY or use --api-key-file FILE";
        return std::nullopt;
    }
    return access;
}

int report_transport_error(const daemon_access& access, boost::system::error_code ec) {
    complain("cannot talk to the daemon at " + access.url_text + ": " + ec.message());
    return exit_failed;
}

int report_refusal(const api_reply& reply) {
    complain("the daemon answered " + std::to_string(reply.status) + ": " + message_of(reply) +
             (reply.retry_after.empty() ? "" : " (retry after " + reply.retry_after + " s)"));
    switch (reply.status) {
        case 400:
        case 413:
        case 415:
            return exit_usage;
        case 401:
        case 403:
            return exit_refused;
        case 404:
            return exit_not_found;
        default:
            return exit_failed;
    }
}

int call_daemon(const daemon_access& access, api_connection& connection, api_request request,
                api_reply& reply) {
    auto result = connection.send(std::move(request));
    if (!result) return report_transport_error(access, result.error());
    reply = std::move(*result);
    return reply.status / 100 == 2 ? exit_ok : report_refusal(reply);
}

void complain(std::string_view message) {
    std::cerr << "optgatectl: " << message << '\n';
}

std::string path_segment(std::string_view text) {
    return boost::urls::encode(text, boost::urls::unreserved_chars);
}

}  // namespace optgate::ctl
