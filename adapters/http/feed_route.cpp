#include "adapters/http/feed_route.hpp"

#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>
#include "adapters/http/consent_json.hpp"
#include "adapters/http/http_response.hpp"
#include "adapters/http/read_after_acknowledged.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/decimal.hpp"
#include "core/feed_cursor.hpp"
#include "core/json_text.hpp"

namespace optgate {
namespace {

// A page is read on the connection that serves checks: kept small (about 0.4 MB at most).
constexpr std::size_t default_limit = 1000, max_limit = 1000;
constexpr int max_wait_seconds = 30;
// How often a long poll looks again while there is nothing new.
constexpr std::chrono::milliseconds poll_interval{250};

// The name of the header that carries the cursor to ask after next.
constexpr const char* next_cursor_header = "Optgate-Next-Cursor";

std::optional<std::size_t> number_in(std::string_view text, std::size_t min, std::size_t max) {
    const auto value = parse_decimal(text);
    if (!value || *value < min || *value > max) return std::nullopt;
    return static_cast<std::size_t>(*value);
}

// One request's reads: again every poll_interval while there is nothing new, as many times
// as its wait allows (counted, not timed by a clock that may step).
struct feed_poll : std::enable_shared_from_this<feed_poll> {
    service_context& service;
    std::shared_ptr<reply_channel> reply;
    std::shared_ptr<http_request> head;
    std::string after, rid;
    std::size_t limit;
    std::size_t looks_left;

    feed_poll(service_context& s, std::shared_ptr<reply_channel> r, std::shared_ptr<http_request> h,
              std::string a, std::string id, std::size_t l, std::size_t wait_seconds)
        : service(s),
          reply(std::move(r)),
          head(std::move(h)),
          after(std::move(a)),
          rid(std::move(id)),
          limit(l),
          looks_left(wait_seconds * 1000 / static_cast<std::size_t>(poll_interval.count())) {}

    void look() {
        service.reads.read_feed(after, limit,
                                [self = shared_from_this()](std::error_code ec, feed_page page) {
                                    self->answer(ec, std::move(page));
                                });
    }

    void answer(std::error_code ec, feed_page page) {
        if (ec) {
            spdlog::warn("[req {}] changes: cannot read the feed: {}; 503", rid, ec.message());
            return reply->send(store_unavailable_response(*head, ec));
        }
        if (page.gone)
            return reply->send(error_response(
                *head, http::status::gone, "cursor_expired",
                "changes after this cursor are no longer in the feed (older than "
                "feed.retention_hours, or Redis lost the feed): take GET "
                "/v1/changes?after=end, re-sync from /v1/audit, then follow from that cursor"));
        // "end" is where the feed ends now: a long poll waits for what comes after that.
        after = page.next;
        if (page.changes.empty() && service.after && looks_left > 0 && !service.draining) {
            --looks_left;
            return service.after(poll_interval, [self = shared_from_this()] { self->look(); });
        }
        std::string body;
        for (const auto& change : page.changes) {
            append_change_json(body, change);
            body.push_back('\n');
        }
        auto response =
            make_response(*head, http::status::ok, "application/x-ndjson", std::move(body));
        response.set(next_cursor_header, page.next);
        reply->send(std::move(response));
    }
};

}  // namespace

void handle_changes(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    if (!authorize(req, *config, feed_roles, *reply)) return;
    auto url = boost::urls::parse_origin_form(req.target());
    const auto malformed = [&](const std::string& message) {
        reply->send(error_response(req, http::status::bad_request, "malformed_request", message));
    };
    if (!url) return malformed("the request target is not a valid URL");
    std::optional<std::string> after;
    std::size_t limit = default_limit, wait_seconds = 0;
    for (const auto& param : url->params()) {
        if (param.key == "after") {
            if (!feed_cursor_valid(param.value))
                return malformed("\"after\" must be a cursor this feed gave, 0 or end");
            after = param.value;
        } else if (param.key == "limit") {
            const auto n = number_in(param.value, 1, max_limit);
            if (!n) return malformed("\"limit\" must be a number from 1 to 1000");
            limit = *n;
        } else if (param.key == "wait") {
            const auto n = number_in(param.value, 0, max_wait_seconds);
            if (!n) return malformed("\"wait\" must be a number of seconds from 0 to 30");
            wait_seconds = *n;
        } else {
            return malformed("unknown parameter \"" + param.key + "\"");
        }
    }
    if (!after) return malformed("\"after\" is required: a cursor, 0 or end");
    auto poll =
        std::make_shared<feed_poll>(service, reply, std::make_shared<http_request>(req.base()),
                                    std::move(*after), context.request_id, limit, wait_seconds);
    read_after_acknowledged(service, context, reply, [poll] { poll->look(); });
}

}  // namespace optgate
