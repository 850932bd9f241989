// The delivery loop of one webhook (feed.webhooks): while this instance holds the webhook's
// lease, it reads the change feed after the webhook's cursor, keeps the channels and programs
// the webhook is for, POSTs them as one signed batch and, once the receiver answered 2xx,
// moves the cursor on in the ledger; a failure is tried again after a backoff with jitter.
// One batch at a time, in feed order: at least once, in order per address, never skipped.
// It only reads the feed, so a receiver that is down never slows ingest or checks.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "adapters/webhooks/https_poster.hpp"
#include "config/settings.hpp"
#include "core/consent_ports.hpp"
#include "core/retry_delay.hpp"
#include "core/webhook_ports.hpp"

namespace optgate {

// What a delivery loop works with; tests fake every part.
struct webhook_delivery_parts {
    consent_reader& feed;
    webhook_ledger& ledger;
    std::function<void(https_request, https_poster::handler)> post;
    // Runs a function after a delay.
    std::function<void(std::chrono::milliseconds, std::function<void()>)> after;
    std::function<epoch_ms()> now;
    std::string instance;  // this process's id in the ledger's leases
    // When to renew the lease and retry a batch: a clock that never steps.
    std::function<std::chrono::steady_clock::time_point()> steady = std::chrono::steady_clock::now;
    // False while the store's answers are held (consent_writer::answering): delivery waits.
    std::function<bool()> answering = [] { return true; };
};

struct webhook_timing {
    std::chrono::milliseconds idle_poll{200};      // how often a caught-up loop looks again
    std::chrono::milliseconds lease{15000};        // at least twice the webhook's timeout as well
    std::chrono::milliseconds ledger_retry{1000};  // after Redis could not be asked
    retry_policy retry{};
};

// What a webhook delivers, as a short hex digest of its URL, channels and programs (not its
// secret): instances whose configs differ see it in the ledger.
std::string webhook_fingerprint(const webhook_settings& hook);

// Threads: its steps run one after another, each on whatever thread completed the last;
// report() may be called from any thread.
class webhook_delivery : public std::enable_shared_from_this<webhook_delivery> {
  public:
    webhook_delivery(webhook_settings settings, webhook_delivery_parts parts,
                     webhook_timing timing = {});

    void start();
    // No new step starts after this, and one in flight sends nothing more: a POST's answer
    // after the stop is not recorded (the poster may cut it short: webhook_deliveries), and
    // the batch goes again from the next holder. The lease is given up, if this instance
    // holds it, so that another takes over at once; `released` is called once Redis answered
    // or could not be asked (within the ledger's command deadline).
    void stop(std::function<void()> released);
    webhook_report report() const;

  private:
    bool stopped() const;
    void release(std::function<void()> released);
    void step();
    void claimed(std::error_code ec, bool held, const webhook_state& state);
    void proceed();
    void read_page();
    void deliver(feed_page page);
    void delivered(const std::string& next, std::size_t changes, https_result result);
    void moved_on(std::error_code ec, bool held, const std::string& next);
    void failed(const std::string& error);
    void again_after(std::chrono::milliseconds delay);
    std::string batch_body(const feed_page& page, std::size_t& selected) const;
    bool wanted(const audit_entry& change) const;

    const webhook_settings settings_;
    const std::string fingerprint_;  // of settings_, in the ledger while this one delivers
    webhook_delivery_parts parts_;
    const webhook_timing timing_;
    std::mt19937_64 jitter_{std::random_device{}()};

    // The loop's own state: touched by one step at a time.
    std::string cursor_;  // valid while held_
    bool held_ = false;
    std::chrono::steady_clock::time_point claimed_at_{};
    // The feed lost changes after the cursor (retention, or Redis lost it): the next batch
    // tells the receiver so, and starts from the oldest change kept.
    bool gap_ = false;
    // A cursor the feed no longer has is first checked against the ledger's once more.
    bool gap_rechecked_ = false;
    std::chrono::steady_clock::time_point retry_at_{};  // a failed batch goes again then

    mutable std::mutex report_mutex_;
    webhook_report report_;
    bool stopped_ = false;  // under report_mutex_
};

}  // namespace optgate
