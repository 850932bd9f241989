// The change feed's webhooks (feed.webhooks) as the delivery loop and the routes see them:
// the ledger every optgate instance shares in Redis (who delivers each webhook, where its
// delivery has got to, how it last failed) and what this instance knows of its own loops.
// The Redis ledger implements the first, the delivery loops the second; tests fake them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

#include "core/consent.hpp"

namespace optgate {

// One webhook's shared state.
struct webhook_state {
    // The last change delivered, or passed over as not the receiver's; empty: none yet (its
    // delivery starts from the oldest change the feed keeps).
    std::string cursor;
    epoch_ms delivered_at = 0;   // when the receiver last took a batch
    std::uint64_t failures = 0;  // in a row, since the last batch it took
    epoch_ms failing_since = 0;  // the first of those failures; 0 when none
    std::string last_error;      // what went wrong the last time (kept after a recovery)
    epoch_ms last_error_at = 0;
    std::string holder;  // the instance that delivers it now; empty when none holds the lease
    // What its holder delivers (webhook_fingerprint of its URL, channels and programs):
    // instances configured differently can tell.
    std::string fingerprint;
};

// Handlers may run on any thread.
class webhook_ledger {
  public:
    virtual ~webhook_ledger() = default;

    // Takes the lease of `webhook` for `instance`, or renews it, unless another instance
    // holds it, and then records `fingerprint` as what the holder delivers; the handler gets
    // whether `instance` holds it now, and the state.
    using claim_handler = std::function<void(std::error_code, bool held, webhook_state)>;
    virtual void claim(const std::string& webhook, const std::string& instance,
                       const std::string& fingerprint, std::chrono::milliseconds lease,
                       claim_handler handler) = 0;

    // Moves the cursor on after a delivered batch (at 0: one with nothing for the receiver,
    // passed over, which leaves delivered_at as it was), only while `instance` holds the lease:
    // `held` false means another instance took over and the cursor did not move (it delivers from
    // there: at least once, never skipped).
    using record_handler = std::function<void(std::error_code, bool held)>;
    virtual void record_delivery(const std::string& webhook, const std::string& instance,
                                 const std::string& cursor, epoch_ms at,
                                 record_handler handler) = 0;
    // Counts a failed attempt, with what went wrong (never a family's contact), under the
    // same condition.
    virtual void record_failure(const std::string& webhook, const std::string& instance,
                                const std::string& error, epoch_ms at, record_handler handler) = 0;

    // Gives the lease of `webhook` up if `instance` holds it (a clean stop): another
    // instance takes it at its next claim instead of after it lapses. The handler gets
    // whether `instance` held it.
    using release_handler = std::function<void(std::error_code, bool released)>;
    virtual void release(const std::string& webhook, const std::string& instance,
                         release_handler handler) = 0;

    // Each webhook's state, in the order asked, and the feed's end (its newest cursor, "0"
    // when it holds nothing): what `optgatectl feed-status` shows.
    using states_handler =
        std::function<void(std::error_code, std::vector<webhook_state>, std::string feed_end)>;
    virtual void read_states(const std::vector<std::string>& webhooks, states_handler handler) = 0;
};

// What this instance's delivery loop of one webhook knows now (/readyz, /metrics).
struct webhook_report {
    std::string name;
    bool delivering = false;       // this instance holds the lease
    bool ledger_reachable = true;  // false while Redis cannot be asked
    // Delivery waits while the store's answers are held (consent_writer::answering).
    bool waiting = false;
    // Another instance delivers it with another URL, channels or programs than this one's.
    bool config_differs = false;
    std::uint64_t failures = 0;  // in a row
    epoch_ms failing_since = 0;  // 0 when the last attempt succeeded
    // How long ago optgate received the oldest change not yet delivered (by optgate's clock),
    // 0 when none waits.
    double lag_seconds = 0;
    std::uint64_t batches_delivered = 0, batches_failed = 0, changes_delivered = 0;
};

class webhook_monitor {
  public:
    virtual ~webhook_monitor() = default;
    virtual std::vector<webhook_report> reports() const = 0;  // in config order
};

}  // namespace optgate
