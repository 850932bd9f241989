#include "adapters/http/api_routes.hpp"

#include "adapters/http/audit_route.hpp"
#include "adapters/http/check_route.hpp"
#include "adapters/http/consent_route.hpp"
#include "adapters/http/feed_route.hpp"
#include "adapters/http/health_route.hpp"
#include "adapters/http/mailgun_route.hpp"
#include "adapters/http/metrics_route.hpp"
#include "adapters/http/postmark_route.hpp"
#include "adapters/http/request_checks.hpp"
#include "adapters/http/sendgrid_route.hpp"
#include "adapters/http/ses_route.hpp"
#include "adapters/http/twilio_sms_route.hpp"
#include "adapters/http/twilio_voice_route.hpp"
#include "adapters/http/unsubscribe_links_route.hpp"
#include "adapters/http/unsubscribe_route.hpp"
#include "adapters/http/webhooks_route.hpp"

namespace optgate {

namespace {

constexpr std::size_t webhook_body_limit = 64 * 1024;
// SendGrid posts its event batches until they reach 768 KB: a smaller limit would refuse a
// busy account's batches, and SendGrid drops a batch (unsubscribes included) after 24 hours
// of retries. The one exception to SPEC's 64 KiB for webhooks.
constexpr std::size_t sendgrid_batch_body_limit = 1024 * 1024;
constexpr std::size_t check_body_limit = 64 * 1024 * 1024;
// A broadcast system asks for the links of a whole mailing at once.
constexpr std::size_t unsubscribe_links_body_limit = 16 * 1024 * 1024;

template <auto Handler>
router::handler bind(service_context& service) {
    return [&service](request_context& context, std::shared_ptr<reply_channel> reply) {
        Handler(service, context, std::move(reply));
    };
}

}  // namespace

router make_api_routes(service_context& service) {
    const auto limits = service.config.load()->limits;  // fixed until a restart
    const route_limits webhook{webhook_body_limit, limits.request_timeout, {}};
    // An API route refuses a request from its header, before reading a body of up to
    // 64 MiB, when its key is missing or unknown (401) or lacks the route's role (403); the
    // handler checks again against the config it answers with.
    const auto api = [&service](std::size_t body_limit, std::chrono::seconds deadline,
                                required_roles roles) {
        return route_limits{body_limit, deadline, [&service, roles](const http_request& req) {
                                return access_refusal(req, *service.config.load(), roles);
                            }};
    };
    router r;
    r.set_header_deadline(limits.request_timeout);
    r.add(http::verb::post, "/webhooks/twilio/sms", bind<handle_twilio_sms>(service), webhook);
    r.add(http::verb::post, "/webhooks/twilio/voice", bind<handle_twilio_voice>(service), webhook);
    r.add(http::verb::post, std::string(twilio_voice_menu_path),
          bind<handle_twilio_voice_menu>(service), webhook);
    r.add(http::verb::post, "/webhooks/sendgrid", bind<handle_sendgrid>(service),
          {sendgrid_batch_body_limit, limits.request_timeout, {}});
    r.add(http::verb::post, "/webhooks/mailgun", bind<handle_mailgun>(service), webhook);
    r.add(http::verb::post, "/webhooks/postmark", bind<handle_postmark>(service), webhook);
    r.add(http::verb::post, "/webhooks/ses", bind<handle_ses>(service), webhook);
    r.add(http::verb::post, "/v1/check", bind<handle_check>(service),
          api(check_body_limit, limits.check_timeout, check_roles));
    r.add(http::verb::get, "/v1/consent/*", bind<handle_get_consent>(service),
          api(webhook_body_limit, limits.request_timeout, read_consent_roles));
    r.add(http::verb::put, "/v1/consent/*", bind<handle_put_consent>(service),
          api(webhook_body_limit, limits.request_timeout, change_consent_roles));
    r.add(http::verb::get, "/v1/audit", bind<handle_audit>(service),
          api(webhook_body_limit, limits.check_timeout, audit_roles));
    r.add(http::verb::get, "/v1/changes", bind<handle_changes>(service),
          api(webhook_body_limit, limits.check_timeout, feed_roles));
    r.add(http::verb::get, "/v1/webhooks", bind<handle_webhooks>(service),
          api(webhook_body_limit, limits.request_timeout, feed_roles));
    r.add(http::verb::post, "/v1/unsubscribe-links", bind<handle_unsubscribe_links>(service),
          api(unsubscribe_links_body_limit, limits.check_timeout, unsubscribe_links_roles));
    r.add(http::verb::get, "/unsubscribe/*", bind<handle_unsubscribe_page>(service), webhook);
    r.add(http::verb::post, "/unsubscribe/*", bind<handle_one_click_unsubscribe>(service), webhook);
    r.add(http::verb::get, "/healthz", bind<handle_healthz>(service), webhook);
    r.add(http::verb::get, "/readyz", bind<handle_readyz>(service), webhook);
    r.add(http::verb::get, "/metrics", bind<handle_metrics>(service), webhook);
    r.set_metrics(&service.metrics);
    return r;
}

}  // namespace optgate
