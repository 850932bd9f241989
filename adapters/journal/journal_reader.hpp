// Reads a journal's durable records in seq order from a cursor on: the applier's view of
// the journal, for bringing Redis up to date and for replay at start-up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/journal/journal.hpp"
#include "adapters/journal/segment_scanner.hpp"
#include "adapters/journal/unique_fd.hpp"

namespace optgate {

// Keeps its place as (segment, offset), so each call reads on from where the last stopped.
// Seqs may have gaps (a failed batch's seqs are skipped). The journal must outlive it.
//
// Threads: not thread-safe; one reader per applier thread. It may run while other threads
// append to, mark or trim the journal.
class journal_reader {
  public:
    journal_reader(const journal& j, std::uint64_t after_seq);

    struct record {
        std::uint64_t seq;
        std::string bytes;
    };

    // Up to max_records records with cursor < seq <= j.durable_seq(), in order, whose bytes
    // add up to at most max_bytes (but always the first, however large), and moves the
    // cursor past them; empty when caught up. On an I/O error or a corrupt durable record:
    // empty with `ec` set, the cursor unmoved, and the next call tries again.
    std::vector<record> next(std::size_t max_records, std::error_code& ec,
                             std::size_t max_bytes = SIZE_MAX);

    std::uint64_t cursor() const { return cursor_; }  // after_seq, then the last seq returned

  private:
    std::error_code open_segment(std::uint64_t first_seq, std::uint64_t durable_end);

    const journal& journal_;
    std::uint64_t cursor_;
    unique_fd segment_fd_;
    std::uint64_t segment_first_seq_ = 0;
    segment_scanner scanner_;
    std::optional<record> held_;  // read, but past the last call's max_bytes: returned next
};

}  // namespace optgate
