#include "adapters/http/ses_route.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>

#include "adapters/http/http_response.hpp"
#include "adapters/http/journal_then_answer.hpp"
#include "adapters/http/json_fields.hpp"
#include "adapters/http/provider_json.hpp"
#include "adapters/http/request_checks.hpp"
#include "core/address_mask.hpp"
#include "core/ses_events.hpp"
#include "core/sns_signature.hpp"

namespace optgate {
namespace {

namespace json = boost::json;

// Text from an unverified request, shown only if it cannot break or flood a log line.
std::string_view printable_or_hidden(std::string_view text) {
    const bool printable =
        !text.empty() && text.size() <= 256 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
    return printable ? text : "(not shown)";
}

// The SES notification in a verified SNS Notification's Message, or why it is not one.
struct notification_or_problem {
    std::optional<ses_notification> notification;
    std::string_view problem;  // for the client when `notification` is empty
};

notification_or_problem read_ses_notification(const json::value& message) {
    const auto* o = message.if_object();
    if (!o) return {std::nullopt, "Message is not a JSON object: not an SES notification"};
    ses_notification n;
    n.kind = string_field(*o, "notificationType");
    if (n.kind.empty()) n.kind = string_field(*o, "eventType");  // configuration-set events
    if (n.kind.empty())
        return {std::nullopt, "Message has no notificationType or eventType: not from SES"};
    if (n.kind != ses_complaint_kind) return {n, {}};
    const auto* complaint = object_field(*o, "complaint");
    const auto* recipients = complaint ? complaint->if_contains("complainedRecipients") : nullptr;
    if (!recipients || !recipients->is_array())
        return {std::nullopt, "a Complaint needs complaint.complainedRecipients"};
    for (const auto& recipient : recipients->get_array()) {
        const auto* entry = recipient.if_object();
        n.complained_recipients.push_back(entry ? string_field(*entry, "emailAddress") : "");
    }
    n.complaint_sub_type = optional_string_field(*complaint, "complaintSubType");
    n.complaint_timestamp = optional_string_field(*complaint, "timestamp");
    return {n, {}};
}

void handle_notification(service_context& service, const settings& config, request_context& context,
                         std::shared_ptr<reply_channel> reply, const sns_message& sns) {
    const auto& req = context.request;
    const auto& rid = context.request_id;
    boost::system::error_code ec;
    const json::value message = json::parse(*sns.message, ec);
    auto read =
        ec ? notification_or_problem{std::nullopt, "Message is not JSON: not an SES notification"}
           : read_ses_notification(message);
    if (!read.notification) {
        spdlog::warn("[req {}] ses: SNS message {} on {}: {}; refused", rid, *sns.message_id,
                     *sns.topic_arn, read.problem);
        return reply->send(
            error_response(req, http::status::bad_request, "not_ses_notification", read.problem));
    }
    auto& n = *read.notification;
    n.sns_message_id = *sns.message_id;
    n.sns_timestamp = *sns.timestamp;
    auto plan = plan_ses_notification(n, config.email.unsubscribe_programs, service.now());
    switch (plan.status) {
        case ses_status::not_consent:
            spdlog::info("[req {}] ses: {} notification {}; not consent, no change", rid,
                         n.kind.substr(0, 40), *sns.message_id);
            return reply->send(status_json_response(req, "ignored"));
        case ses_status::suppressed:
            spdlog::info("[req {}] ses: complaint {} about mail SES did not send ({}); no change",
                         rid, *sns.message_id, n.complaint_sub_type->substr(0, 40));
            return reply->send(status_json_response(req, "ignored"));
        case ses_status::complaint:
            break;
    }
    if (plan.invalid_recipients > 0)
        spdlog::warn(
            "[req {}] ses: complaint {} names {} recipients that are not email "
            "addresses; skipped",
            rid, *sns.message_id, plan.invalid_recipients);
    std::string what = plan.valid_recipients == 1 && !plan.events.empty()
                           ? fmt::format("ses: complaint {} by {}", *sns.message_id,
                                         mask_address(plan.events.front().address))
                           : fmt::format("ses: complaint {} by {} recipients", *sns.message_id,
                                         plan.valid_recipients);
    journal_email_events(service, plan.events, context, std::move(what), std::move(reply));
}

}  // namespace

void handle_ses(service_context& service, request_context& context,
                std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    const auto& rid = context.request_id;
    if (!config->providers.ses)
        return reply->send(error_response(req, http::status::not_found, "not_found",
                                          "Amazon SES is not configured"));
    const auto& ses = *config->providers.ses;
    // SNS posts its JSON as text/plain; charset=UTF-8.
    if (!require_content_type(req, {"text/plain", "application/json"}, *reply)) return;
    const auto body = require_json_object(req, *reply);
    if (!body) return;
    const sns_message sns = read_sns_message(*body);
    const auto type = parse_sns_type(sns.type);
    if (!type || !sns.message || !sns.message_id || !sns.timestamp || !sns.topic_arn ||
        sns.signature.empty() || sns.signature_version.empty())
        return reply->send(error_response(
            req, http::status::bad_request, "missing_fields",
            "an SNS message needs Type (Notification, SubscriptionConfirmation or "
            "UnsubscribeConfirmation), Message, MessageId, Timestamp, TopicArn, Signature and "
            "SignatureVersion"));
    if (std::find(ses.topic_arns.begin(), ses.topic_arns.end(), *sns.topic_arn) ==
        ses.topic_arns.end()) {
        spdlog::warn("[req {}] ses: topic {} is not in providers.ses.topic_arns; refused", rid,
                     printable_or_hidden(*sns.topic_arn));
        return reply->send(error_response(req, http::status::forbidden, "unknown_topic",
                                          "this SNS topic is not configured"));
    }
    switch (verify_sns_signature(sns, *ses.certificate)) {
        case sns_verdict::valid:
            break;
        case sns_verdict::unsupported_version:
            spdlog::warn(
                "[req {}] ses: SignatureVersion {} on {}; only 1 and 2 are accepted; "
                "refused",
                rid, printable_or_hidden(sns.signature_version), *sns.topic_arn);
            return reply->send(error_response(req, http::status::forbidden, "bad_signature",
                                              "SignatureVersion must be 1 or 2"));
        case sns_verdict::unknown_type:  // excluded above
        case sns_verdict::bad_signature: {
            // After AWS rotates its certificate every message fails here until the operator
            // installs the new one: say where the message says it is.
            const std::string_view url = string_field(*body, "SigningCertURL");
            spdlog::warn(
                "[req {}] ses: the signature of SNS {} on {} does not verify with "
                "providers.ses.certificate_file; refused. If AWS rotated its signing "
                "certificate, the message names {}",
                rid, sns.type, *sns.topic_arn,
                plausible_sns_certificate_url(url) ? url : "no AWS certificate URL");
            return reply->send(error_response(req, http::status::forbidden, "bad_signature",
                                              "the SNS signature does not verify"));
        }
    }
    switch (*type) {
        case sns_type::subscription_confirmation:
            // Signed by AWS, so the URL is AWS's; it holds the topic and a token, no family data.
            spdlog::warn(
                "[req {}] ses: SNS asks to confirm this endpoint's subscription to {}. "
                "optgate never fetches URLs: an operator must open {} to confirm it",
                rid, *sns.topic_arn, sns.subscribe_url.value_or("(no SubscribeURL)"));
            return reply->send(status_json_response(req, "confirmation_logged"));
        case sns_type::unsubscribe_confirmation:
            spdlog::warn(
                "[req {}] ses: this endpoint was unsubscribed from {}; no SES "
                "notifications arrive until it is subscribed again",
                rid, *sns.topic_arn);
            return reply->send(status_json_response(req, "unsubscribe_logged"));
        case sns_type::notification:
            return handle_notification(service, *config, context, std::move(reply), sns);
    }
}

}  // namespace optgate
