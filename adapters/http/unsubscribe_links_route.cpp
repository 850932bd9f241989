#include "adapters/http/unsubscribe_links_route.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address.hpp"
#include "core/json_text.hpp"
#include "core/unsubscribe_token.hpp"

namespace optgate {
namespace {

// Addresses per piece of the answer: about 430 KB of links.
constexpr std::size_t links_chunk = 2000;

// The links of one request, {"links":[{"input","address","url"} or {"input","error":
// "invalid_address"}, ...]} in input order, made a chunk of addresses at a time as the
// client takes them: what is held is the body and one chunk, never every link.
class links_answer {
  public:
    links_answer(std::string body, const settings& config, std::string request_id,
                 std::string key_name)
        : body_(std::move(body)),
          issuer_(config.unsubscribe_links->secret),
          request_id_(std::move(request_id)),
          key_name_(std::move(key_name)) {
        // ,"url":"<public_url>/unsubscribe/ as JSON, once; a token is base64url and a dot,
        // which JSON takes as they are.
        append_json_string(url_member_, config.public_url + "/unsubscribe/");
        url_member_.pop_back();
    }

    // Where the addresses are read from: the body this answer holds.
    std::string_view body() const { return body_; }

    // Empty when `body` is a well-formed request, else a message for the client.
    std::string accept(string_list_body body, const settings& config) {
        const auto& program = body.fields[0];
        if (!program || !config.find_program(*program))
            return "\"program\" must name a configured program";
        if (!body.items) return "\"addresses\" must be an array of strings";
        program_ = *program;
        addresses_ = std::move(body.items);
        return {};
    }

    bool fits_one_piece() const { return addresses_->size() <= links_chunk; }
    bool done() const { return next_ == addresses_->size() && ended_; }

    // The next piece of the answer (its start with the first, its end with the last).
    std::string next_piece() {
        const auto& addresses = *addresses_;
        const auto end = std::min(addresses.size(), next_ + links_chunk);
        std::string out = next_ == 0 ? "{\"links\":[" : "";
        out.reserve((end - next_) * 256 + 16);
        for (; next_ < end; ++next_) {
            if (next_ != 0) out.push_back(',');
            const auto item = addresses[next_];
            out += "{\"input\":";
            append_json_string(out, item);
            // Email addresses only: a phone number has no unsubscribe link.
            const auto address = normalize_email(item);
            const auto token = address ? issuer_.issue({*address, program_}) : std::nullopt;
            if (token) {
                out += ",\"address\":";
                append_json_string(out, *address);
                out += url_member_;
                out += *token;
                out += "\"}";
                ++issued_;
            } else {
                out += ",\"error\":\"invalid_address\"}";
            }
        }
        if (next_ == addresses.size()) {
            out += "]}";
            ended_ = true;
            spdlog::info("[req {}] unsubscribe links for {}: {} issued to {}, {} invalid addresses",
                         request_id_, program_, issued_, key_name_, addresses.size() - issued_);
        }
        return out;
    }

  private:
    std::string body_;
    std::optional<string_list> addresses_;  // places in body_
    std::string program_;
    unsubscribe_token_issuer issuer_;
    std::string url_member_ = ",\"url\":";
    std::string request_id_, key_name_;
    std::size_t next_ = 0, issued_ = 0;
    bool ended_ = false;
};

}  // namespace

void handle_unsubscribe_links(service_context& service, request_context& context,
                              std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    if (!config->unsubscribe_links)
        return reply->send(error_response(req, http::status::not_found, "not_found",
                                          "unsubscribe links are not configured"));
    const api_key* key = authorize(req, *config, unsubscribe_links_roles, *reply);
    if (!key) return;
    if (!require_content_type(req, "application/json", *reply)) return;
    // The addresses are places in the body: it moves to the answer, which holds it until the
    // last link is made.
    auto answer = std::make_shared<links_answer>(std::move(context.request.body()), *config,
                                                 context.request_id, key->name);
    auto body = require_string_list_body(
        req, answer->body(), {{"program"}, "addresses", config->limits.max_unsubscribe_links},
        "limits.max_unsubscribe_links", *reply);
    if (!body) return;
    if (auto problem = answer->accept(std::move(*body), *config); !problem.empty())
        return reply->send(
            error_response(req, http::status::bad_request, "malformed_request", problem));
    if (answer->fits_one_piece())
        return reply->send(json_response(req, http::status::ok, answer->next_piece()));
    auto head = json_response(req, http::status::ok, {});
    head.content_length(boost::none);
    reply->stream(std::move(head), [answer](chunk_sink sink) {
        sink.next(answer->done() ? std::nullopt : std::optional(answer->next_piece()));
    });
}

}  // namespace optgate
