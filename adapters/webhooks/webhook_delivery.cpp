#include "adapters/webhooks/webhook_delivery.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "adapters/http/consent_json.hpp"
#include "core/digest.hpp"
#include "core/json_text.hpp"
#include "core/webhook_signature.hpp"

namespace optgate {

webhook_delivery::webhook_delivery(webhook_settings settings, webhook_delivery_parts parts,
                                   webhook_timing timing)
    : settings_(std::move(settings)),
      fingerprint_(webhook_fingerprint(settings_)),
      parts_(std::move(parts)),
      timing_(timing) {
    report_.name = settings_.name;
}

std::string webhook_fingerprint(const webhook_settings& hook) {
    std::string text = hook.url + "\n";
    for (const auto c : hook.channels) text.append(to_string(c)).push_back(',');
    text.push_back('\n');
    for (const auto& program : hook.programs) text.append(program).push_back(',');
    return to_hex(sha256(text)).substr(0, 16);
}

void webhook_delivery::start() {
    spdlog::info(
        "webhook {}: delivering the change feed to https://{}:{} (channels and programs "
        "as configured) whenever this instance holds its lease",
        settings_.name, settings_.host, settings_.port);
    step();
}

void webhook_delivery::stop(std::function<void()> released) {
    {
        const std::lock_guard lock(report_mutex_);
        stopped_ = true;
    }
    release(std::move(released));
}

bool webhook_delivery::stopped() const {
    const std::lock_guard lock(report_mutex_);
    return stopped_;
}

void webhook_delivery::release(std::function<void()> released) {
    parts_.ledger.release(
        settings_.name, parts_.instance,
        [name = settings_.name, released = std::move(released)](std::error_code ec, bool gave_up) {
            if (ec)
                spdlog::warn(
                    "webhook {}: cannot give its lease up in Redis ({}); another instance "
                    "takes over once it lapses",
                    name, ec.message());
            else if (gave_up)
                spdlog::info("webhook {}: lease given up; another instance takes over at once",
                             name);
            released();
        });
}

webhook_report webhook_delivery::report() const {
    const std::lock_guard lock(report_mutex_);
    return report_;
}

void webhook_delivery::again_after(std::chrono::milliseconds delay) {
    if (stopped()) return;
    parts_.after(delay, [self = shared_from_this()] { self->step(); });
}

// The lease is renewed when a quarter of it has passed: a loop that stops (a killed process)
// leaves it to lapse, and another instance takes over within one lease.
void webhook_delivery::step() {
    if (stopped()) return;
    // While the store is held (Redis not yet verified at start, lost data, its reads on
    // another server, or too old for the feed) the feed may not be what Redis will hold:
    // wait, without the lease, which another instance may take meanwhile.
    const bool waiting = !parts_.answering();
    {
        const std::lock_guard lock(report_mutex_);
        report_.waiting = waiting;
        if (waiting) report_.delivering = false;
    }
    if (waiting) {
        held_ = false;
        return again_after(timing_.ledger_retry);
    }
    const auto now = parts_.steady();
    if (held_ && now - claimed_at_ < timing_.lease / 4) return proceed();
    parts_.ledger.claim(
        settings_.name, parts_.instance, fingerprint_, timing_.lease,
        [self = shared_from_this(), now](std::error_code ec, bool held, webhook_state state) {
            if (!ec && held) self->claimed_at_ = now;
            self->claimed(ec, held, state);
        });
}

void webhook_delivery::claimed(std::error_code ec, bool held, const webhook_state& state) {
    // A claim sent as the instance stopped, and answered after its release: given up again.
    if (stopped()) {
        if (!ec && held) release([] {});
        return;
    }
    if (ec) {
        held_ = false;
        bool first = false;
        {
            const std::lock_guard lock(report_mutex_);
            first = report_.ledger_reachable;
            report_.ledger_reachable = false;
            report_.delivering = false;
        }
        if (first)
            spdlog::warn("webhook {}: cannot reach its ledger in Redis ({}); delivery waits",
                         settings_.name, ec.message());
        return again_after(timing_.ledger_retry);
    }
    const bool was_held = held_;
    held_ = held;
    // Another instance delivering this webhook with another URL, channels or programs (a
    // config changed on some instances only): what it sends is not what this one would.
    const bool differs = !held && !state.fingerprint.empty() && state.fingerprint != fingerprint_;
    bool newly_differs = false;
    {
        const std::lock_guard lock(report_mutex_);
        newly_differs = differs && !report_.config_differs;
        report_.config_differs = differs;
        report_.ledger_reachable = true;
        report_.delivering = held;
        if (held && !was_held) {
            report_.failures = state.failures;
            report_.failing_since = state.failing_since;
        }
        if (!held) {  // the holder reports them
            report_.lag_seconds = 0;
            report_.failures = 0;
            report_.failing_since = 0;
        }
    }
    if (newly_differs)
        spdlog::warn(
            "webhook {}: instance {} delivers it with another url, channels or "
            "programs than this instance's config: give every instance the same "
            "feed.webhooks",
            settings_.name, state.holder);
    if (!held) {
        if (was_held)
            spdlog::info("webhook {}: instance {} delivers it now", settings_.name, state.holder);
        return again_after(timing_.lease / 3);
    }
    // The ledger's cursor is the truth: after a failover the new master may hold an older
    // one (replication is asynchronous), and delivery goes on from there, at least once. A
    // ledger that lost the cursor (Redis emptied) does not send the receiver back to the
    // oldest change: this loop's own cursor goes on, and a feed lost with it is a gap.
    if (!state.cursor.empty() || !was_held) cursor_ = state.cursor;
    if (!was_held) {
        // What this loop knew before it lost the lease is stale: the other holder may have
        // sent the gap, and its own backoff ended.
        gap_ = false;
        retry_at_ = {};
        spdlog::info("webhook {}: this instance ({}) delivers it, after cursor {}", settings_.name,
                     parts_.instance, cursor_.empty() ? "0 (the oldest change kept)" : cursor_);
    }
    proceed();
}

// A failed batch waits for its retry here, renewing the lease meanwhile: a backoff of minutes
// must not let the lease lapse (another instance would retry at once).
void webhook_delivery::proceed() {
    if (stopped()) return;
    const auto now = parts_.steady();
    if (now < retry_at_)
        return again_after(std::min(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        retry_at_ - now + std::chrono::milliseconds(1)),
                                    timing_.lease / 4));
    read_page();
}

void webhook_delivery::read_page() {
    const std::string after = cursor_.empty() ? "0" : cursor_;
    parts_.feed.read_feed(
        after, settings_.batch_size,
        [self = shared_from_this(), after](std::error_code ec, feed_page page) {
            if (ec) {
                spdlog::warn("webhook {}: cannot read the change feed: {}", self->settings_.name,
                             ec.message());
                return self->again_after(self->timing_.ledger_retry);
            }
            if (page.gone && after != "0" && !self->gap_rechecked_) {
                // The ledger may have an older cursor that the feed still
                // has (Redis failed over to a replica a little behind).
                self->gap_rechecked_ = true;
                self->claimed_at_ = {};  // the next step claims, and reads it
                return self->step();
            }
            self->gap_rechecked_ = false;
            if (page.gone && after != "0") {
                if (!self->gap_)
                    spdlog::error(
                        "webhook {}: changes after cursor {} are no longer in the "
                        "feed (the receiver was behind longer than "
                        "feed.retention_hours, or Redis lost the feed); the next "
                        "batch says \"gap\": the receiver must re-sync from "
                        "/v1/audit",
                        self->settings_.name, after);
                self->gap_ = true;
                self->cursor_ = "0";
                return self->read_page();
            }
            if (page.gone) return self->again_after(self->timing_.ledger_retry);
            self->deliver(std::move(page));
        });
}

bool webhook_delivery::wanted(const audit_entry& change) const {
    return std::find(settings_.channels.begin(), settings_.channels.end(), change.channel) !=
               settings_.channels.end() &&
           std::find(settings_.programs.begin(), settings_.programs.end(), change.program) !=
               settings_.programs.end();
}

// {"webhook":"sis","gap":false,"changes":[<change>, ...]}: only the changes of the webhook's
// channels and programs, in feed order.
std::string webhook_delivery::batch_body(const feed_page& page, std::size_t& selected) const {
    std::string body = "{\"webhook\":";
    append_json_string(body, settings_.name);
    body += gap_ ? ",\"gap\":true" : ",\"gap\":false";
    body += ",\"changes\":[";
    selected = 0;
    for (const auto& change : page.changes) {
        if (!wanted(change.entry)) continue;
        if (selected++) body.push_back(',');
        append_change_json(body, change);
    }
    body += "]}";
    return body;
}

void webhook_delivery::deliver(feed_page page) {
    if (stopped()) return;  // a read answered after the stop: another instance sends it
    const epoch_ms now = parts_.now();
    {
        const std::lock_guard lock(report_mutex_);
        report_.lag_seconds = page.changes.empty()
                                  ? 0
                                  : static_cast<double>(std::max<epoch_ms>(
                                        0, now - page.changes.front().entry.received_time)) /
                                        1000.0;
    }
    if (page.changes.empty() && !gap_) return again_after(timing_.idle_poll);
    std::size_t selected = 0;
    std::string body = batch_body(page, selected);
    if (selected == 0 && !gap_) {
        // Nothing here is the receiver's: the cursor passes over it (no delivery time).
        return parts_.ledger.record_delivery(
            settings_.name, parts_.instance, page.next, 0,
            [self = shared_from_this(), next = page.next](std::error_code ec, bool held) {
                self->moved_on(ec, held, next);
            });
    }
    https_request request;
    request.host = settings_.host;
    request.port = settings_.port;
    request.target = settings_.target;
    request.timeout = settings_.timeout;
    const std::string timestamp = std::to_string(now / 1000);
    request.headers = {{std::string(webhook_timestamp_header), timestamp},
                       {std::string(webhook_signature_header),
                        webhook_signature(settings_.secret, timestamp, body)},
                       {std::string(webhook_name_header), settings_.name}};
    request.body = std::move(body);
    parts_.post(std::move(request),
                [self = shared_from_this(), next = page.next, selected](https_result result) {
                    self->delivered(next, selected, std::move(result));
                });
}

void webhook_delivery::delivered(const std::string& next, std::size_t changes,
                                 https_result result) {
    // A POST the stop cut short, or answered after it: the lease is given up and the next
    // holder sends the batch again (at least once). Neither a failure nor a delivery.
    if (stopped()) return;
    if (result.status == 401 || result.status == 403)
        // What a receiver refusing the signature answers: say what to look at.
        return failed("answered HTTP " + std::to_string(result.status) +
                      " (does the receiver have this webhook's secret, and is this host's clock "
                      "within its window of the receiver's?)");
    if (result.status < 200 || result.status > 299)
        return failed(result.status != 0 ? "answered HTTP " + std::to_string(result.status)
                                         : result.error);
    std::uint64_t failures = 0;
    {
        const std::lock_guard lock(report_mutex_);
        failures = report_.failures;
        report_.failures = 0;
        report_.failing_since = 0;
        ++report_.batches_delivered;
        report_.changes_delivered += changes;
    }
    if (failures > 0)
        spdlog::info("webhook {}: the receiver took a batch again, after {} failed attempts",
                     settings_.name, failures);
    gap_ = false;
    parts_.ledger.record_delivery(settings_.name, parts_.instance, next, parts_.now(),
                                  [self = shared_from_this(), next](std::error_code ec, bool held) {
                                      self->moved_on(ec, held, next);
                                  });
}

void webhook_delivery::moved_on(std::error_code ec, bool held, const std::string& next) {
    if (ec) {
        // The batch stays after the old cursor: it goes again (at least once).
        spdlog::warn(
            "webhook {}: cannot move its cursor in Redis ({}); the last batch will be "
            "delivered again",
            settings_.name, ec.message());
        return again_after(timing_.ledger_retry);
    }
    if (!held) {
        held_ = false;  // another instance took over: it delivers from the ledger's cursor
        return again_after(std::chrono::milliseconds(0));
    }
    cursor_ = next;
    again_after(std::chrono::milliseconds(0));
}

void webhook_delivery::failed(const std::string& error) {
    const epoch_ms now = parts_.now();
    std::uint64_t failures = 0;
    {
        const std::lock_guard lock(report_mutex_);
        failures = ++report_.failures;
        if (report_.failing_since == 0) report_.failing_since = now;
        ++report_.batches_failed;
    }
    const auto delay =
        retry_delay(timing_.retry, static_cast<unsigned>(std::min<std::uint64_t>(failures, 64)),
                    std::uniform_real_distribution<double>(0, 1)(jitter_));
    spdlog::warn(
        "webhook {}: POST to https://{}:{} failed: {} ({} in a row); trying again in "
        "{} ms",
        settings_.name, settings_.host, settings_.port, error, failures, delay.count());
    retry_at_ = parts_.steady() + delay;
    parts_.ledger.record_failure(settings_.name, parts_.instance, error, now,
                                 [self = shared_from_this()](std::error_code ec, bool held) {
                                     if (!ec && !held) self->held_ = false;
                                     self->step();
                                 });
}

}  // namespace optgate
