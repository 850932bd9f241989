// Start-up recovery: finds the journal's segment files, checks every durable record, cuts a
// torn tail off the last file, and tells the journal what it holds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <system_error>
#include <vector>

#include "adapters/journal/journal_file_ops.hpp"
#include "adapters/journal/journal_segment.hpp"

namespace optgate {

// What journal::open found on disk and what it repaired.
struct journal_recovery {
    std::uint64_t segments = 0;     // segment files kept
    std::uint64_t durable_seq = 0;  // the highest intact record
    // Cut from the end of the last segment: a partial record, a bad checksum, or the records
    // of a group whose end was torn. A last file whose header is torn is removed and counted.
    std::uint64_t truncated_bytes = 0;
    // Bytes of failed batches after the durable records of earlier segments: left in place,
    // never read.
    std::uint64_t abandoned_bytes = 0;
};

struct recovered_journal {
    std::vector<journal_segment> segments;  // in seq order
    journal_recovery report;
};

// Corruption before the durable end of any segment but the last is journal_errc::
// corrupt_segment: recovery never drops records that a later segment vouches for.
// `dir_fd` is the open directory, fsync'd through `ops` after a torn file is removed.
std::error_code recover_segments(const std::filesystem::path& dir, int dir_fd,
                                 journal_file_ops& ops, recovered_journal& out);

}  // namespace optgate
