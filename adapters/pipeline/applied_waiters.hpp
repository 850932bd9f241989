// Read-your-writes: who waits for which journal record to be applied to Redis, and what the
// recent records did there. Pure bookkeeping (no I/O, no clock, no thread): the pipeline
// tells it what is applied and whether answers may be given, and times waits out itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/consent_ports.hpp"

namespace optgate {

class applied_waiters {
  public:
    using handler = consent_writer::applied_handler;
    using ticket = std::uint64_t;

    explicit applied_waiters(std::size_t remembered_records) : remembered_(remembered_records) {}

    // Record `seq`'s outcomes, as its first application gave them (a later application of
    // the same record, a replay, says "duplicate" and is not remembered).
    void remember(std::uint64_t seq, std::vector<event_result> outcomes);
    // The outcomes of record `seq`: empty if it had none or is no longer remembered.
    std::vector<event_result> outcomes(std::uint64_t seq) const;

    // Waits for record `seq`; the handler is called by resolve(), fail_all() or not at all
    // once cancel() took it back.
    ticket wait(std::uint64_t seq, handler h);
    // A wait that timed out: its handler, if it was still waiting.
    std::optional<handler> cancel(ticket t);
    // Calls, in record order, the handler of every wait for a record up to `applied` with
    // that record's outcomes.
    void resolve(std::uint64_t applied);
    // Calls every handler with nullopt (the pipeline stops).
    void fail_all();
    std::size_t waiting() const { return waits_.size(); }

  private:
    std::size_t remembered_;
    std::map<std::uint64_t, std::vector<event_result>> outcomes_;
    // By record, then ticket (tickets grow with each wait: first come, first called).
    std::map<std::pair<std::uint64_t, ticket>, handler> waits_;
    std::map<ticket, std::uint64_t> record_of_;
    ticket next_ticket_ = 0;
};

}  // namespace optgate
