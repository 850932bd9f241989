#include "adapters/http/metrics_route.hpp"

#include "adapters/http/http_response.hpp"
#include "adapters/metrics/process_figures.hpp"

namespace optgate {

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
    render_process_figures(out, read_process_figures());
    return out;
}

void handle_metrics(service_context& service, request_context& context,
                    std::shared_ptr<reply_channel> reply) {
    reply->send(make_response(context.request, http::status::ok,
                              "text/plain; version=0.0.4; charset=utf-8", render_metrics(service)));
}

}  // namespace optgate
