#include "adapters/http/unsubscribe_route.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/journal_then_answer.hpp"
#include "adapters/http/request_id.hpp"
#include "adapters/http/router.hpp"
#include "adapters/http/unsubscribe_page.hpp"
#include "core/address_mask.hpp"
#include "core/digest.hpp"
#include "core/email_consent.hpp"
#include "core/one_click_body.hpp"
#include "core/unsubscribe_token.hpp"

namespace optgate {
namespace {

constexpr std::string_view path_prefix = "/unsubscribe/";
// The SPEC's program for emergency messages: a link of any other program says they go on.
constexpr std::string_view emergency_program = "emergency";

// A link that verified: its token and what it unsubscribes.
struct valid_link {
    std::string token;
    unsubscribe_target target;
    unsubscribe_page_facts facts;
};

// The link of the request; otherwise answers 404 (links not configured) or 400 with the
// "not valid" page, and returns nullopt. Neither the token nor its address is logged.
std::optional<valid_link> resolve_link(const settings& config, const request_context& context,
                                       reply_channel& reply) {
    const auto& req = context.request;
    if (!config.unsubscribe_links) {
        reply.send(error_response(req, http::status::not_found, "not_found",
                                  "unsubscribe links are not configured"));
        return std::nullopt;
    }
    const auto token = target_path(req.target()).substr(path_prefix.size());
    auto verified = verify_unsubscribe_token(config.unsubscribe_links->secret, token);
    if (verified.target && !config.find_program(verified.target->program)) {
        spdlog::info("[req {}] unsubscribe link refused: program {} is not configured",
                     context.request_id, verified.target->program);
        verified.target.reset();
    } else if (!verified.target) {
        spdlog::info("[req {}] unsubscribe link refused: {}", context.request_id,
                     to_string(verified.problem));
    }
    if (!verified.target) {
        reply.send(html_page_response(req, http::status::bad_request, invalid_link_page()));
        return std::nullopt;
    }
    const auto& target = *verified.target;
    unsubscribe_page_facts facts{
        target.program, mask_address(target.address),
        target.program != emergency_program &&
            config.find_program(std::string(emergency_program)) != nullptr};
    return valid_link{std::string(token), std::move(*verified.target), std::move(facts)};
}

// The link's event: email opted out for its program, now. Every click is its own event (a
// fresh id, never the client's): a click must take effect whenever the record is opted in at
// that moment, even a second after the office re-subscribed the family, which any dedupe
// bucket (a minute, a day) would swallow while the page says "You are unsubscribed". A
// retry or a double click re-applies an opt-out that is already there, and is audited.
std::optional<std::vector<consent_event>> one_click_events(const valid_link& link, epoch_ms now) {
    const std::string link_id = "one-click:" + to_hex(sha256(link.token)).substr(0, 32);
    email_signal signal;
    signal.recipient = link.target.address;
    signal.state = consent_state::opted_out;
    signal.programs = {link.target.program};
    signal.event_time = now;
    signal.received_time = now;
    signal.source = "one-click";
    signal.reference = link_id;
    signal.dedupe_key = link_id + ":" + random_event_id();
    signal.keyword = "List-Unsubscribe=One-Click";
    return email_consent_events(signal);
}

}  // namespace

void handle_unsubscribe_page(service_context& service, request_context& context,
                             std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto link = resolve_link(*config, context, *reply);
    if (!link) return;
    reply->send(html_page_response(context.request, http::status::ok,
                                   unsubscribe_question_page(link->facts)));
}

void handle_one_click_unsubscribe(service_context& service, request_context& context,
                                  std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    const auto link = resolve_link(*config, context, *reply);
    if (!link) return;
    if (!is_one_click_unsubscribe(req[http::field::content_type], req.body())) {
        spdlog::info("[req {}] one-click unsubscribe refused: not List-Unsubscribe=One-Click",
                     context.request_id);
        return reply->send(
            html_page_response(req, http::status::bad_request, not_one_click_page()));
    }
    const auto events = one_click_events(*link, service.now());
    if (!events)  // a verified token carries a valid address; refuse rather than crash
        return reply->send(html_page_response(req, http::status::bad_request, invalid_link_page()));
    // A mail client's one-click POST retries on a 5xx; a family who pressed the button reads
    // the page, which offers the button again.
    auto try_again =
        html_page_response(req, http::status::service_unavailable, try_again_page(link->facts));
    try_again.set(http::field::retry_after, "60");
    journal_then_answer(
        service, *events, context,
        fmt::format("one-click unsubscribe: {} from {} emails", link->facts.masked_address,
                    link->target.program),
        html_page_response(req, http::status::ok, unsubscribe_done_page(link->facts)),
        std::move(reply), std::move(try_again));
}

}  // namespace optgate
