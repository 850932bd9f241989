#include "adapters/journal/segment_scanner.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace optgate {
namespace {

// Large enough that a scan of small records costs few system calls.
constexpr std::size_t read_chunk_bytes = 256u << 10;

}  // namespace

segment_scanner::segment_scanner(int fd, std::uint64_t offset, std::uint64_t end)
    : fd_(fd), offset_(offset), end_(end), buffer_offset_(offset) {}

std::string_view segment_scanner::payload() const {
    return std::string_view(buffer_).substr(payload_index_, header_.length);
}

segment_scanner::outcome segment_scanner::next(std::error_code& ec) {
    ec.clear();
    if (offset_ >= end_) return outcome::end;
    if (!fill(record_header_bytes, ec)) return outcome::invalid;
    const std::size_t at = offset_ - buffer_offset_;
    auto header = decode_record_header(std::string_view(buffer_).substr(at));
    if (!header) return outcome::invalid;
    if (!fill(record_header_bytes + header->length, ec)) return outcome::invalid;
    // fill() may have moved the buffer's start to offset_.
    payload_index_ = offset_ - buffer_offset_ + record_header_bytes;
    header_ = *header;
    if (!record_checksum_matches(header_, payload())) return outcome::invalid;
    offset_ += record_header_bytes + header_.length;
    return outcome::record;
}

bool segment_scanner::fill(std::size_t n, std::error_code& ec) {
    if (end_ - offset_ < n) return false;
    const std::size_t have = buffer_offset_ + buffer_.size() - offset_;
    if (have >= n) return true;
    buffer_.erase(0, offset_ - buffer_offset_);
    buffer_offset_ = offset_;
    const std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(std::max(n, read_chunk_bytes), end_ - offset_));
    std::size_t filled = buffer_.size();
    buffer_.resize(want);
    while (filled < want) {
        const ssize_t got = ::pread(fd_, buffer_.data() + filled, want - filled,
                                    static_cast<off_t>(buffer_offset_ + filled));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            ec.assign(errno, std::system_category());
            break;
        }
        if (got == 0) break;  // the file is shorter than `end`: a torn tail
        filled += static_cast<std::size_t>(got);
    }
    buffer_.resize(filled);
    return !ec && filled >= n;
}

}  // namespace optgate
