// feed-status: each webhook of the change feed (GET /v1/webhooks): its cursor, how far it is
// behind, when it last delivered, its failures and last error, and which instance delivers it.
#include <cstdio>
#include <iostream>

#include <boost/json/array.hpp>

#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"
#include "ctl/reply_json.hpp"
#include "ctl/text_table.hpp"

namespace optgate::ctl {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

std::string or_dash(std::string text) {
    return text.empty() ? "-" : text;
}

// Seconds as "12.3"; "-" when null (nothing delivered yet).
std::string seconds_text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_number()) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v->to_number<double>());
    return text;
}

int run_feed_status(const command_line& line, const daemon_access& access) {
    auto connection = access.connect();
    api_reply reply;
    const int status =
        call_daemon(access, connection, {http::verb::get, "/v1/webhooks", {}, {}}, reply);
    if (status != exit_ok) return status;
    if (line.flag("json")) {
        std::cout << reply.body << '\n';
        return exit_ok;
    }
    const auto body = reply_object(reply.body);
    if (!body) return exit_failed;
    const auto* hooks = body->if_contains("webhooks");
    if (!hooks || !hooks->is_array() || hooks->as_array().empty()) {
        std::cout << "no webhooks configured (feed.webhooks)\n";
        return exit_ok;
    }
    std::cout << "feed end " << or_dash(field_text(*body, "feed_end")) << '\n';
    text_table table({"WEBHOOK", "CURSOR", "LAG_S", "DELIVERED_AT", "FAILURES", "LAST_ERROR",
                      "LAST_ERROR_AT", "DELIVERED_BY"});
    for (const auto& item : hooks->as_array()) {
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        table.add({field_text(o, "name"), field_text(o, "cursor"), seconds_text(o, "lag_seconds"),
                   or_dash(field_text(o, "delivered_at")), field_text(o, "failures"),
                   or_dash(field_text(o, "last_error")), or_dash(field_text(o, "last_error_at")),
                   or_dash(field_text(o, "delivered_by"))});
    }
    table.print(std::cout);
    return exit_ok;
}

}  // namespace

const command feed_status_command{
    {"feed-status", "feed-status [--json]", {{"json", option_kind::flag}}, 0, 0},
    "show each webhook's cursor, lag and last error",
    R"(Shows each webhook of feed.webhooks as every optgate instance shares it in Redis
(GET /v1/webhooks). Role: audit or feed.

  CURSOR         the last change delivered (or passed over: not for this receiver)
  LAG_S          seconds between that change and the newest in the feed (0: caught up;
                 "-": nothing delivered yet)
  DELIVERED_AT   when the receiver last took a batch
  FAILURES       failed attempts in a row (0 once a batch is taken again)
  LAST_ERROR     what went wrong the last time, and when (kept after a recovery)
  DELIVERED_BY   the instance holding the webhook's lease ("-": none now)

  --json         print the daemon's reply as is
)",
    true,
    run_feed_status};

}  // namespace optgate::ctl
