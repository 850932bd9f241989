// Reads one segment file's records in order, through a buffer, from an offset up to an end
// offset; start-up recovery and journal_reader share it so both check records alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "adapters/journal/journal_record.hpp"

namespace optgate {

// Does not own the descriptor. Not thread-safe: one scanner per reading thread.
class segment_scanner {
  public:
    enum class outcome {
        record,   // header() and payload() describe it until the next call
        end,      // offset() has reached the end offset
        invalid,  // the bytes at offset() are not a whole, intact record (or ec is set)
    };

    segment_scanner() = default;
    segment_scanner(int fd, std::uint64_t offset, std::uint64_t end);

    outcome next(std::error_code& ec);
    const record_header& header() const { return header_; }
    std::string_view payload() const;
    std::uint64_t offset() const { return offset_; }  // where the next record starts
    // The durable part of the segment being written grows; bytes before `end` never change.
    void extend_end(std::uint64_t end) { end_ = end; }

  private:
    // Makes the n bytes at offset_ available in buffer_; false when `end_` or the file
    // comes first.
    bool fill(std::size_t n, std::error_code& ec);

    int fd_ = -1;
    std::uint64_t offset_ = 0;
    std::uint64_t end_ = 0;
    std::string buffer_;  // file bytes starting at buffer_offset_
    std::uint64_t buffer_offset_ = 0;
    record_header header_;
    std::size_t payload_index_ = 0;  // into buffer_
};

}  // namespace optgate
