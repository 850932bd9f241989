#include "adapters/http/check_stream.hpp"

#include <spdlog/spdlog.h>

#include "adapters/http/http_response.hpp"
#include "core/address.hpp"
#include "core/json_text.hpp"
#include "core/store_error.hpp"

namespace optgate {

// One chunk of recipients: [begin, end) of the request's, and the valid ones normalised.
struct check_stream::chunk_read {
    std::size_t number = 0, begin = 0, end = 0;
    std::size_t input_bytes = 0;       // of its recipients, as they are in the body
    std::vector<std::int32_t> lookup;  // per recipient: its index in `addresses`, or -1
    std::shared_ptr<std::vector<std::string>> addresses;
};

namespace {

// ,"other_opt_outs":["district"]: the other programs the address opted out of, if any.
void append_other_opt_outs(std::string& out, const std::vector<std::string>& others,
                           std::uint32_t opted_out) {
    if (opted_out == 0) return;
    out += ",\"other_opt_outs\":[";
    bool first = true;
    for (std::size_t i = 0; i < others.size(); ++i) {
        if (!(opted_out & (1u << i))) continue;
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, others[i]);
    }
    out.push_back(']');
}

// {"input","address","allowed","state","reason","since","source","other_opt_outs"}.
void append_result(std::string& out, std::string_view input, const std::string* address,
                   const check_decision& decision) {
    out += "{\"input\":";
    append_json_string(out, input);
    if (address) {
        out += ",\"address\":";
        append_json_string(out, *address);
    }
    out += decision.allowed ? ",\"allowed\":true" : ",\"allowed\":false";
    if (decision.state) {
        out += ",\"state\":\"";
        out += to_string(*decision.state);
        out += '"';
    }
    out += ",\"reason\":\"";
    out += to_string(decision.reason);
    out += '"';
    if (decision.since) {
        out += ",\"since\":\"";
        out += format_rfc3339(*decision.since);
        out += "\",\"source\":";
        append_json_string(out, decision.source);
    }
}

}  // namespace

check_stream::check_stream(std::shared_ptr<const check_request> request, consent_reader& reads,
                           const consent_writer& writes, http_metrics& metrics,
                           std::shared_ptr<reply_channel> reply, http_request head,
                           std::string request_id, check_stream_options options)
    : request_(std::move(request)),
      reads_(reads),
      writes_(writes),
      metrics_(metrics),
      reply_(std::move(reply)),
      head_(std::move(head)),
      request_id_(std::move(request_id)),
      options_(options) {}

check_stream::~check_stream() {
    for (std::size_t allowed = 0; allowed < 2; ++allowed)
        for (std::size_t reason = 0; reason < sent_[allowed].size(); ++reason)
            if (const auto n = sent_[allowed][reason])
                metrics_.check_recipients.increment(
                    {allowed ? "allowed" : "denied",
                     std::string(to_string(static_cast<check_reason>(reason)))},
                    n);
}

void check_stream::start() {
    next_steps steps;
    {
        std::lock_guard lock(mutex_);
        steps = plan();
    }
    carry_out(std::move(steps));
}

check_stream::next_steps check_stream::plan() {
    next_steps steps;
    plan_chunks(steps);
    plan_answer(steps);
    plan_chunks(steps);  // into the room the answer made
    return steps;
}

void check_stream::plan_chunks(next_steps& steps) {
    const auto& recipients = *request_->recipients;
    const auto& config = *request_->config;
    while (!failed_ && !ended_ && in_flight_ < options_.chunks_in_flight &&
           ready_.size() < options_.chunks_held && next_recipient_ < recipients.size()) {
        auto chunk = std::make_shared<chunk_read>();
        chunk->number = first_unsent_ + ready_.size();
        chunk->begin = next_recipient_;
        chunk->addresses = std::make_shared<std::vector<std::string>>();
        auto i = chunk->begin;
        for (; i < recipients.size() && i - chunk->begin < options_.chunk &&
               (i == chunk->begin || chunk->input_bytes < options_.chunk_bytes);
             ++i) {
            chunk->input_bytes += recipients[i].size();
            auto address = normalize_address(recipients[i], config.default_country);
            // An email is not an address on sms/voice, nor a phone number on email.
            if (address &&
                ((request_->channel == channel::email) == (address->kind == address_kind::email))) {
                chunk->lookup.push_back(static_cast<std::int32_t>(chunk->addresses->size()));
                chunk->addresses->push_back(std::move(address->value));
            } else {
                chunk->lookup.push_back(-1);
            }
        }
        chunk->end = next_recipient_ = i;
        if (chunk->addresses->empty()) {  // nothing to read: answered here
            ready_.push_back(render(*chunk, {}));
            continue;
        }
        // Read only while answers are not held: a Redis being verified or repaired, or the
        // journal applied again, is not answered from, here no more than for a fresh check.
        if (!writes_.answering()) return fail(store_error::answers_held);
        ready_.emplace_back();
        ++in_flight_;
        steps.reads.push_back(std::move(chunk));
    }
}

void check_stream::plan_answer(next_steps& steps) {
    const bool all_read = next_recipient_ == request_->recipients->size() && in_flight_ == 0;
    const bool front_ready = !ready_.empty() && ready_.front().has_value();
    if (!streaming_ && !ended_) {
        if (failed_) {
            ended_ = true;
            steps.answer = store_unavailable_response(head_, *failed_);
        } else if (all_read) {  // small enough to be read whole before the first byte is sent
            ended_ = true;
            std::string body = ready_.empty() ? std::string() : take_front();
            while (!ready_.empty()) body += take_front();
            body += ending();
            steps.answer = json_response(head_, http::status::ok, std::move(body));
        } else if (front_ready) {
            streaming_ = true;
            steps.open_stream = true;
        }
        return;
    }
    if (!streaming_ || !waiting_) return;
    if (front_ready) {
        steps.piece = take_front();
    } else if (failed_ && !ended_) {
        ended_ = true;
        steps.piece = "],\"error\":{\"code\":\"unavailable\",\"message\":";
        append_json_string(*steps.piece, store_unavailable_message(*failed_));
        *steps.piece += "}";
    } else if (failed_) {
        steps.abort = true;
    } else if (all_read && !ended_) {
        ended_ = true;
        steps.piece = ending();
    } else if (all_read) {
        steps.end = true;
    }
    if (steps.piece || steps.abort || steps.end) steps.sink = std::exchange(waiting_, {});
}

void check_stream::fail(std::error_code ec) {
    if (failed_) return;
    spdlog::warn("[req {}] check: cannot read consent: {}; {}", request_id_, ec.message(),
                 streaming_ ? "the answer ends with an error, without its last chunk" : "503");
    failed_ = ec;
}

std::string check_stream::take_front() {
    auto piece = std::move(*ready_.front());
    ready_.pop_front();
    ++first_unsent_;
    for (std::size_t a = 0; a < 2; ++a)
        for (std::size_t r = 0; r < piece.tally[a].size(); ++r) sent_[a][r] += piece.tally[a][r];
    return std::move(piece.text);
}

void check_stream::carry_out(next_steps steps) {
    if (steps.answer) reply_->send(std::move(*steps.answer));
    if (steps.open_stream) {
        auto head = json_response(head_, http::status::ok, {});
        head.content_length(boost::none);
        reply_->stream(std::move(head),
                       [self = shared_from_this()](chunk_sink sink) { self->on_sink(sink); });
    }
    if (steps.sink) {
        if (steps.piece) {
            steps.sink->next(std::move(steps.piece));
        } else if (steps.end) {
            steps.sink->next(std::nullopt);
        } else if (steps.abort) {
            steps.sink->abort();
        }
    }
    for (auto& chunk : steps.reads) read(std::move(chunk));
}

void check_stream::read(std::shared_ptr<chunk_read> chunk) {
    auto addresses = chunk->addresses;
    reads_.read_records(request_->channel, request_->program->name, request_->others,
                        std::move(addresses),
                        [self = shared_from_this(), chunk = std::move(chunk)](
                            std::error_code ec, checked_records records) mutable {
                            self->on_read(std::move(chunk), ec, std::move(records));
                        });
}

void check_stream::on_read(std::shared_ptr<chunk_read> chunk, std::error_code ec,
                           checked_records records) {
    std::optional<rendered> results;
    if (!ec) results = render(*chunk, records);
    next_steps steps;
    {
        std::lock_guard lock(mutex_);
        --in_flight_;
        // Every chunk from the server the first came from: see checked_records::connection.
        if (!ec && connection_ && *connection_ != records.connection) ec = store_error::reconnected;
        if (!ec && !connection_) connection_ = records.connection;
        if (ec)
            fail(ec);
        else if (!failed_)
            ready_[chunk->number - first_unsent_] = std::move(results);
        steps = plan();
    }
    carry_out(std::move(steps));
}

void check_stream::on_sink(chunk_sink sink) {
    next_steps steps;
    {
        std::lock_guard lock(mutex_);
        waiting_ = std::move(sink);
        steps = plan();
    }
    carry_out(std::move(steps));
}

check_stream::rendered check_stream::render(const chunk_read& chunk,
                                            const checked_records& read) const {
    const auto& request = *request_;
    const auto& recipients = *request.recipients;
    rendered out;
    out.text.reserve(chunk.input_bytes * 2 + (chunk.end - chunk.begin) * 112 + 16);
    out.text += chunk.number == 0 ? "{\"results\":[" : ",";
    for (std::size_t i = chunk.begin; i < chunk.end; ++i) {
        if (i != chunk.begin) out.text.push_back(',');
        const auto index = chunk.lookup[i - chunk.begin];
        const auto decision = index >= 0
                                  ? decide(read.records[index], request.program->default_state)
                                  : invalid_address_decision();
        ++out.tally[decision.allowed][static_cast<std::size_t>(decision.reason)];
        append_result(out.text, recipients[i], index >= 0 ? &(*chunk.addresses)[index] : nullptr,
                      decision);
        if (index >= 0 && !read.others_opted_out.empty())
            append_other_opt_outs(out.text, request.others, read.others_opted_out[index]);
        out.text.push_back('}');
    }
    return out;
}

std::string check_stream::ending() const {
    std::size_t allowed = 0, denied = 0;
    for (const auto n : sent_[1]) allowed += n;
    for (const auto n : sent_[0]) denied += n;
    const bool none = request_->recipients->empty();
    return std::string(none ? "{\"results\":[" : "") + "],\"allowed\":" + std::to_string(allowed) +
           ",\"denied\":" + std::to_string(denied) + "}";
}

}  // namespace optgate
