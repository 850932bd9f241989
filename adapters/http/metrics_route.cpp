#include "adapters/http/metrics_route.hpp"

#include "adapters/http/http_response.hpp"
#include "adapters/metrics/process_figures.hpp"

namespace optgate {
namespace {

// Per webhook (a handful, from the config): whether this instance delivers it, its failures
// in a row, its lag, and its batches and changes delivered by this instance.
void render_webhook_figures(std::string& out, const std::vector<webhook_report>& reports) {
    if (reports.empty()) return;
    const auto family = [&](std::string_view name, std::string_view help, std::string_view type,
                            auto value) {
        out += "# HELP ";
        out += name;
        out += ' ';
        out += help;
        out += "\n# TYPE ";
        out += name;
        out += ' ';
        out += type;
        out += '\n';
        for (const auto& r : reports) {
            out += name;
            out += "{webhook=\"" + escape_label_value(r.name) + "\"} ";
            out += format_metric_value(static_cast<double>(value(r)));
            out += '\n';
        }
    };
    family("optgate_webhook_delivering",
           "1 if this instance holds the webhook's lease and delivers it.", "gauge",
           [](const webhook_report& r) { return r.delivering ? 1 : 0; });
    family("optgate_webhook_failures",
           "Failed attempts in a row to deliver the webhook's next batch.", "gauge",
           [](const webhook_report& r) { return r.failures; });
    family("optgate_webhook_lag_seconds",
           "Age of the oldest change not yet delivered to the webhook (0: none waits).", "gauge",
           [](const webhook_report& r) { return r.lag_seconds; });
    family("optgate_webhook_batches_delivered_total", "Batches the webhook's receiver took.",
           "counter", [](const webhook_report& r) { return r.batches_delivered; });
    family("optgate_webhook_batches_failed_total",
           "Attempts to deliver a batch that failed (no answer, or not 2xx).", "counter",
           [](const webhook_report& r) { return r.batches_failed; });
    family("optgate_webhook_changes_delivered_total", "Changes delivered to the webhook.",
           "counter", [](const webhook_report& r) { return r.changes_delivered; });
}

}  // namespace

std::string render_metrics(const service_context& service) {
    std::string out;
    out.reserve(16 * 1024);
    service.metrics.requests.render(out);
    service.metrics.request_seconds.render(out);
    service.event_counts.render(out);
    service.metrics.check_recipients.render(out);
    service.metrics.opt_ins_not_applied.render(out);
    const auto durable = service.writes.durable_seq();
    const auto applied = service.writes.applied_seq();
    render_gauge(out, "optgate_journal_bytes", "Bytes of journal segments on disk.",
                 static_cast<double>(service.writes.journal_size_bytes()));
    render_gauge(out, "optgate_journal_durable_seq", "Sequence number of the last durable record.",
                 static_cast<double>(durable));
    render_gauge(out, "optgate_journal_applied_seq",
                 "Sequence number of the last record applied to Redis.",
                 static_cast<double>(applied));
    render_gauge(out, "optgate_journal_lag_records",
                 "Records journaled (durable) but not yet applied to Redis.",
                 static_cast<double>(durable > applied ? durable - applied : 0));
    render_gauge(out, "optgate_journal_syncs_total",
                 "Syncs of the journal to disk (fdatasync); each makes every append committed "
                 "with it durable, so under load there are fewer syncs than appends.",
                 static_cast<double>(service.writes.journal_syncs()), "counter");
    render_gauge(out, "optgate_journal_writable", "1 if the journal accepts appends, else 0.",
                 service.writes.journal_writable() ? 1 : 0);
    render_gauge(out, "optgate_redis_connected",
                 "1 if both Redis connections (writes and reads) are up, else 0.",
                 service.reads.available() ? 1 : 0);
    render_gauge(out, "optgate_consent_answering",
                 "1 if consent is answered, 0 while Redis is verified or the journal re-applied.",
                 service.writes.answering() ? 1 : 0);
    render_gauge(out, "optgate_http_open_connections", "Client connections open now.",
                 static_cast<double>(service.metrics.open_connections.load()));
    if (service.webhooks) render_webhook_figures(out, service.webhooks->reports());
    render_process_figures(out, read_process_figures());
    return out;
}

void handle_metrics(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply) {
    reply->send(make_response(context.request, http::status::ok,
                              "text/plain; version=0.0.4; charset=utf-8", render_metrics(service)));
}

}  // namespace optgate
