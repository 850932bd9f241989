#include "adapters/http/audit_route.hpp"

#include <limits>

#include <boost/url/parse.hpp>

#include "adapters/http/consent_json.hpp"
#include "adapters/http/http_response.hpp"
#include "adapters/http/read_after_acknowledged.hpp"
#include "adapters/http/request_checks.hpp"

namespace optgate {
namespace {

constexpr std::size_t page_size = 1000;

// Pulls pages from the store as the client takes chunks; lives as long as the stream.
struct audit_stream : std::enable_shared_from_this<audit_stream> {
    consent_reader& store;
    epoch_ms since, until;
    bool csv;
    audit_cursor cursor;
    bool first = true, done = false;

    audit_stream(consent_reader& s, epoch_ms from, epoch_ms to, bool as_csv)
        : store(s), since(from), until(to), csv(as_csv) {}

    void pull(chunk_sink sink) {
        if (done) return sink.next(std::nullopt);
        store.read_audit(
            since, until, cursor, page_size,
            [self = shared_from_this(), sink](std::error_code ec, std::vector<audit_entry> entries,
                                              std::optional<audit_cursor> next) {
                if (ec) return sink.abort();
                std::string chunk;
                if (self->first && self->csv) chunk = audit_csv_header();
                self->first = false;
                for (const auto& e : entries) {
                    if (self->csv) {
                        append_audit_csv(chunk, e);
                    } else {
                        append_audit_json(chunk, e);
                        chunk.push_back('\n');
                    }
                }
                if (next) self->cursor = *next;
                self->done = !next;
                // An empty chunk would end the chunked body: never send one.
                if (!chunk.empty()) return sink.next(std::move(chunk));
                self->pull(sink);
            });
    }
};

}  // namespace

void handle_audit(service_context& service, request_context& context,
                  std::shared_ptr<reply_channel> reply) {
    const auto config = service.config.load();
    const auto& req = context.request;
    if (!authorize(req, *config, audit_roles, *reply)) return;
    auto url = boost::urls::parse_origin_form(req.target());
    if (!url)
        return reply->send(error_response(req, http::status::bad_request, "malformed_request",
                                          "the request target is not a valid URL"));
    // No end by default, not "now": an instance whose clock is ahead stores entries received
    // "later" than this one's clock says, and the trail holds them too.
    epoch_ms since = 0, until = std::numeric_limits<epoch_ms>::max();
    bool csv = false;
    for (const auto& param : url->params()) {
        if (param.key == "since" || param.key == "until") {
            const auto t = parse_rfc3339(param.value);
            if (!t)
                return reply->send(error_response(
                    req, http::status::bad_request, "malformed_request",
                    "\"" + param.key +
                        "\" must be an RFC 3339 time with a zone (encode + as %2B)"));
            (param.key == "since" ? since : until) = *t;
        } else if (param.key == "format") {
            if (param.value != "ndjson" && param.value != "csv")
                return reply->send(error_response(req, http::status::bad_request,
                                                  "malformed_request",
                                                  "\"format\" must be ndjson or csv"));
            csv = param.value == "csv";
        } else {
            return reply->send(error_response(req, http::status::bad_request, "malformed_request",
                                              "unknown parameter \"" + param.key + "\""));
        }
    }
    if (since > until)  // swapped, most likely: an empty trail would read as "nothing happened"
        return reply->send(error_response(req, http::status::bad_request, "malformed_request",
                                          "\"since\" is after \"until\""));
    auto head = make_response(req, http::status::ok,
                              csv ? "text/csv; charset=utf-8" : "application/x-ndjson", {});
    head.content_length(boost::none);
    auto stream = std::make_shared<audit_stream>(service.reads, since, until, csv);
    read_after_acknowledged(service, context, reply, [reply, head = std::move(head), stream] {
        reply->stream(head, [stream](chunk_sink sink) { stream->pull(std::move(sink)); });
    });
}

}  // namespace optgate
