#include "tests/unit/http/fake_consent.hpp"

#include "core/feed_cursor.hpp"

#include <algorithm>

namespace optgate::testing {

std::optional<consent_record> fake_consent::record(const std::string& address, channel c,
                                                   const std::string& program) const {
    const auto it = records_.find({address, c, program});
    return it == records_.end() ? std::nullopt : std::optional(it->second);
}

event_result fake_consent::apply(const consent_event& e) {
    const record_key key{e.address, e.channel, e.program};
    const std::string seen_key = e.address + '\n' + std::string(to_string(e.channel)) + '\n' +
                                 e.program + '\n' + e.dedupe_key;
    const auto seen = seen_.find(seen_key);
    const auto current = record(e.address, e.channel, e.program);
    const auto result =
        apply_event(current, seen == seen_.end() ? std::nullopt : std::optional(seen->second), e);
    if (result.new_record) records_[key] = *result.new_record;
    if (!result.audited)
        return {result.outcome, std::nullopt,
                seen == seen_.end() ? std::nullopt : std::optional(seen->second.received_time)};
    seen_.emplace(seen_key, first_delivery{e.received_time, e.state, result.outcome});
    audit_entry entry;
    entry.address = e.address;
    entry.channel = e.channel;
    entry.program = e.program;
    entry.from = current ? std::optional(current->state) : std::nullopt;
    entry.to = e.state;
    entry.outcome = result.outcome;
    entry.event_time = dated_event_time(e);
    entry.received_time = e.received_time;
    if (entry.event_time != e.event_time) entry.stated_time = e.event_time;
    entry.source = e.source;
    entry.reference = e.reference;
    entry.dedupe_key = e.dedupe_key;
    entry.keyword = e.keyword;
    entry.match = e.match;
    entry.actor = e.actor;
    entry.language = e.language;
    entry.scope = e.scope;
    audit_.push_back(entry);
    if (result.outcome == event_outcome::applied && result.new_record) feed_.push_back(entry);
    return {result.outcome, entry.from, std::nullopt};
}

void fake_consent::submit(const std::vector<consent_event>& events, submit_handler handler) {
    if (journal_fails) return handler(std::make_error_code(std::errc::io_error), 0, 0);
    journal_.push_back(events);
    auto& results = results_[journal_.size()];
    for (const auto& e : events) results.push_back(apply(e));
    handler({}, journal_.size(), journal_.size());
}

void fake_consent::when_applied(std::uint64_t seq, std::chrono::milliseconds,
                                applied_handler handler) {
    if (holding || !reachable) return handler(std::nullopt);
    const auto it = results_.find(seq);
    handler(it == results_.end() ? std::vector<event_result>{} : it->second);
}

void fake_consent::read_records(channel c, std::string program, std::vector<std::string> others,
                                std::shared_ptr<const std::vector<std::string>> addresses,
                                records_handler handler) {
    if (read_error && record_reads_++ >= record_reads_before_error) return handler(read_error, {});
    others.resize(std::min(others.size(), max_other_programs));
    checked_records out;
    for (const auto& a : *addresses) {
        out.records.push_back(record(a, c, program));
        if (others.empty()) continue;
        std::uint32_t opted_out = 0;
        for (std::size_t i = 0; i < others.size(); ++i) {
            const auto r = record(a, c, others[i]);
            if (r && r->state == consent_state::opted_out) opted_out |= 1u << i;
        }
        out.others_opted_out.push_back(opted_out);
    }
    handler({}, std::move(out));
}

void fake_consent::read_feed(const std::string& after, std::size_t limit, feed_handler handler) {
    if (read_error) return handler(read_error, {});
    const auto cursor_of = [](std::size_t n) { return std::to_string(n) + "-0"; };
    feed_page page;
    if (after == "end") {
        page.next = cursor_of(feed_.size());
        return handler({}, std::move(page));
    }
    std::size_t from = parse_feed_cursor(after).value().first;  // changes after it
    page.next = after;
    if (after == "0") from = feed_trimmed;
    if (from < feed_trimmed || from > feed_.size()) {
        page.gone = true;
        return handler({}, std::move(page));
    }
    for (std::size_t n = from + 1; n <= feed_.size() && page.changes.size() < limit; ++n)
        page.changes.push_back({cursor_of(n), feed_[n - 1]});
    if (!page.changes.empty()) page.next = page.changes.back().cursor;
    handler({}, std::move(page));
}

void fake_consent::read_address(const std::string& address, address_handler handler) {
    if (read_error) return handler(read_error, {});
    address_consent out;
    for (const auto& [key, r] : records_)
        if (std::get<0>(key) == address)
            out.records.push_back({std::get<1>(key), std::get<2>(key), r});
    for (auto it = audit_.rbegin(); it != audit_.rend(); ++it)
        if (it->address == address) out.history.push_back(*it);
    handler({}, std::move(out));
}

void fake_consent::read_audit(epoch_ms since, epoch_ms until, audit_cursor from, std::size_t limit,
                              audit_handler handler) {
    if (read_error) return handler(read_error, {}, std::nullopt);
    std::vector<audit_entry> in_range;
    for (const auto& e : audit_)
        if (e.received_time >= since && e.received_time <= until) in_range.push_back(e);
    std::stable_sort(in_range.begin(), in_range.end(), [](const auto& a, const auto& b) {
        return a.received_time < b.received_time;
    });
    // The fake's cursor is an index into the range (the real one is a score and a skip).
    const auto first = std::min(from.skip, in_range.size());
    const auto last = std::min(first + limit, in_range.size());
    std::vector<audit_entry> page(in_range.begin() + first, in_range.begin() + last);
    handler({}, std::move(page),
            last < in_range.size() ? std::optional(audit_cursor{0, last}) : std::nullopt);
}

}  // namespace optgate::testing
