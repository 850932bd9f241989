// What every command that talks to optgated shares: the common options turned into a
// connection (--url or OPTGATE_URL, the API key from OPTGATE_API_KEY or --api-key-file,
// --timeout), and the daemon's refusals turned into a message and an exit status.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>

#include "adapters/api_client/api_connection.hpp"
#include "ctl/command_line.hpp"

namespace optgate::ctl {

inline constexpr std::string_view default_url = "http://127.0.0.1:8080";
inline constexpr std::chrono::seconds default_timeout{60};

struct daemon_access {
    api_url url;
    std::string url_text;
    std::string api_key;
    std::chrono::milliseconds timeout = default_timeout;

    api_connection connect() const { return api_connection(url, api_key, timeout); }
};

using environment = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment.
std::optional<std::string> process_environment(std::string_view name);

// nullopt with `problem` set on a bad URL or timeout, or without an API key (`needs_key`).
std::optional<daemon_access> resolve_daemon_access(const command_line& line, const environment& env,
                                                   bool needs_key, std::string& problem);

// Prints why the daemon could not be reached and returns exit_failed.
int report_transport_error(const daemon_access& access, boost::system::error_code ec);

// Prints the daemon's refusal ({"error":{"code","message"}}, HTTP status) and returns the
// exit status it maps to: 400/413/415 usage, 401/403 refused, 404 not found, else failed.
int report_refusal(const api_reply& reply);

// Sends `request` and reads the whole reply into `reply`: exit_ok on a 2xx, else the message
// printed and the exit status of report_transport_error or report_refusal.
int call_daemon(const daemon_access& access, api_connection& connection, api_request request,
                api_reply& reply);

// "optgatectl: <message>" on stderr.
void complain(std::string_view message);

// `address` as one path segment ("+16515550100" -> "%2B16515550100").
std::string path_segment(std::string_view text);

}  // namespace optgate::ctl
