// The consent store and the event pipeline as the HTTP routes see them: what they may read
// (records for a check, an address's records and history, the audit trail) and how they
// write (journal events, wait until Redis applied them, the state of both). The Redis
// store and the journal's pipeline implement them; tests/unit/http fakes them in memory.
// Handlers may run on any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/apply_event.hpp"
#include "core/audit_entry.hpp"
#include "core/consent.hpp"

namespace optgate {

// One program's record of an address.
struct program_record {
    optgate::channel channel;
    std::string program;
    consent_record record;
};

// What a check reads: each address's record of the program checked and, when other programs
// were named, which of them each address opted out of (an emergency check says so: FCC 16-88
// lets an emergency message reach a family that left only the other programs).
struct checked_records {
    std::vector<std::optional<consent_record>> records;  // one per address; nullopt: none
    // One per address when other programs were named, else empty: bit i is set when the
    // address's record of others[i] says opted_out.
    std::vector<std::uint32_t> others_opted_out;
    // Which connection to the store answered (it counts the store's reconnects): reads of
    // one check that come over different ones may come from different servers.
    std::uint64_t connection = 0;
};
// At most this many other programs per check: the bits of checked_records::others_opted_out.
inline constexpr std::size_t max_other_programs = 32;

// Everything known of one address.
struct address_consent {
    std::vector<program_record> records;
    std::vector<audit_entry> history;  // newest first
};

// Where a page of the audit trail ends. Opaque to callers: pass back what the previous page
// returned.
struct audit_cursor {
    epoch_ms score = 0;
    std::size_t skip = 0;  // entries at exactly `score` already returned
};

// One change of the change feed: where it is in the feed, and the audit entry that made it.
struct feed_change {
    std::string cursor;  // its place in the feed ("1767225600000-0"), increasing
    audit_entry entry;
};

// A page of the change feed after a cursor.
struct feed_page {
    std::vector<feed_change> changes;  // oldest first
    // The cursor to ask after next: the last change's; with none, the one asked after, or,
    // for "end", the feed's end.
    std::string next;
    // Changes after the cursor asked for were removed by the feed's retention: the caller
    // must re-sync from the audit trail.
    bool gone = false;
};

class consent_reader {
  public:
    virtual ~consent_reader() = default;

    // False while a connection to the store is down.
    virtual bool available() const = 0;

    using records_handler = std::function<void(std::error_code, checked_records)>;
    // One result per address, in order, of `program` and (at most max_other_programs of)
    // `others`, all on channel `c`.
    virtual void read_records(channel c, std::string program, std::vector<std::string> others,
                              std::shared_ptr<const std::vector<std::string>> addresses,
                              records_handler handler) = 0;

    using address_handler = std::function<void(std::error_code, address_consent)>;
    virtual void read_address(const std::string& address, address_handler handler) = 0;

    // A page of the audit trail by received time, oldest first; `next` is set when more follow.
    using audit_handler = std::function<void(std::error_code, std::vector<audit_entry>,
                                             std::optional<audit_cursor> next)>;
    virtual void read_audit(epoch_ms since, epoch_ms until, audit_cursor from, std::size_t limit,
                            audit_handler handler) = 0;
    using feed_handler = std::function<void(std::error_code, feed_page)>;
    // At most `limit` changes after `after`: a cursor, "0" (the oldest kept) or "end" (none:
    // only the feed's end as `next`); core/feed_cursor.hpp.
    virtual void read_feed(const std::string& after, std::size_t limit, feed_handler handler) = 0;
};

class consent_writer {
  public:
    virtual ~consent_writer() = default;

    // Journals the events as one group of records, durable whole (in their order) or not at
    // all, before the handler is called, and queues them for the store. The handler gets the
    // group's first and last sequence numbers, or the error that kept it from being durable
    // (then nothing may be acknowledged).
    using submit_handler =
        std::function<void(std::error_code, std::uint64_t first_seq, std::uint64_t last_seq)>;
    virtual void submit(const std::vector<consent_event>& events, submit_handler handler) = 0;

    // Calls the handler once every record up to `seq` is applied, with the results of record
    // `seq` (empty if no longer remembered), or with nullopt after `timeout` (or while
    // answers are held).
    using applied_handler = std::function<void(std::optional<std::vector<event_result>>)>;
    virtual void when_applied(std::uint64_t seq, std::chrono::milliseconds timeout,
                              applied_handler handler) = 0;

    virtual std::uint64_t durable_seq() const = 0;
    virtual std::uint64_t applied_seq() const = 0;
    virtual std::uint64_t journal_size_bytes() const = 0;
    // Syncs of the journal to disk since the start: one per group of appends committed.
    virtual std::uint64_t journal_syncs() const = 0;
    // False after an append failed to become durable, until one succeeds again.
    virtual bool journal_writable() const = 0;
    // False while answers are held (the store may have lost data, or is being repaired).
    virtual bool answering() const = 0;
    // Why answers are held, when a reason is known; empty otherwise.
    virtual std::string hold_reason() const = 0;
};

}  // namespace optgate
