// The journal and the consent store in memory, for route tests without a process: events
// are applied at once by core::apply_event (the rules the Lua script mirrors), and each
// failure a route must answer (journal unwritable, store unreachable, data lost, answers
// held) is a switch a test sets.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

#include "core/consent_ports.hpp"

namespace optgate::testing {

class fake_consent final : public consent_reader, public consent_writer {
  public:
    // Switches: what a route meets.
    bool journal_fails = false;  // submit() fails: nothing is durable
    bool holding = false;        // answers held (Redis being verified or repaired)
    std::string held_because;    // hold_reason()
    bool reachable = true;       // available()
    std::error_code read_error;  // every read fails with it
    // With read_error: the reads of records that succeed before it (the chunks of a check
    // answered before the store is lost midway).
    std::size_t record_reads_before_error = 0;
    // The change feed's retention removed its first `feed_trimmed` changes.
    std::size_t feed_trimmed = 0;

    // What the routes journaled, one entry per submit.
    const std::vector<std::vector<consent_event>>& journaled() const { return journal_; }
    // The record of (address, channel, program), if any.
    std::optional<consent_record> record(const std::string& address, channel c,
                                         const std::string& program) const;
    const std::vector<audit_entry>& audit() const { return audit_; }

    // consent_writer
    void submit(const std::vector<consent_event>& events, submit_handler handler) override;
    void when_applied(std::uint64_t seq, std::chrono::milliseconds timeout,
                      applied_handler handler) override;
    std::uint64_t durable_seq() const override { return journal_.size(); }
    std::uint64_t applied_seq() const override { return journal_.size(); }
    std::uint64_t journal_size_bytes() const override { return 0; }
    std::uint64_t journal_syncs() const override { return journal_.size(); }
    bool journal_writable() const override { return !journal_fails; }
    bool answering() const override { return !holding; }
    std::string hold_reason() const override { return held_because; }

    // consent_reader
    bool available() const override { return reachable; }
    void read_records(channel c, std::string program, std::vector<std::string> others,
                      std::shared_ptr<const std::vector<std::string>> addresses,
                      records_handler handler) override;
    void read_address(const std::string& address, address_handler handler) override;
    void read_audit(epoch_ms since, epoch_ms until, audit_cursor from, std::size_t limit,
                    audit_handler handler) override;
    void read_feed(const std::string& after, std::size_t limit, feed_handler handler) override;

  private:
    using record_key = std::tuple<std::string, channel, std::string>;
    event_result apply(const consent_event& e);
    std::size_t record_reads_ = 0;

    std::vector<std::vector<consent_event>> journal_;
    std::map<std::uint64_t, std::vector<event_result>> results_;
    std::map<record_key, consent_record> records_;
    std::map<std::string, first_delivery> seen_;  // by record key and dedupe key
    std::vector<audit_entry> audit_;              // in the order applied
    std::vector<audit_entry> feed_;  // applied changes; the cursor of feed_[i] is "<i+1>-0"
};

}  // namespace optgate::testing
