#include "adapters/journal/journal_reader.hpp"

#include <fcntl.h>

#include <cerrno>

#include "adapters/journal/journal_error.hpp"

namespace optgate {

journal_reader::journal_reader(const journal& j, std::uint64_t after_seq)
    : journal_(j), cursor_(after_seq) {}

std::error_code journal_reader::open_segment(std::uint64_t first_seq, std::uint64_t durable_end) {
    const auto path = journal_.dir() / segment_file_name(first_seq);
    segment_fd_.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!segment_fd_) return {errno, std::system_category()};
    segment_first_seq_ = first_seq;
    scanner_ = segment_scanner(segment_fd_.get(), segment_header_bytes, durable_end);
    return {};
}

std::vector<journal_reader::record> journal_reader::next(std::size_t max_records,
                                                         std::error_code& ec,
                                                         std::size_t max_bytes) {
    ec.clear();
    std::vector<record> out;
    std::uint64_t cursor = cursor_;
    std::size_t bytes = 0;
    // Adds a record, unless it would pass max_bytes after the first: then it is held for the
    // next call (the scanner has read past it).
    const auto take = [&](record r) {
        if (!out.empty() && (bytes >= max_bytes || r.bytes.size() > max_bytes - bytes)) {
            held_ = std::move(r);
            return false;
        }
        bytes += r.bytes.size();
        cursor = r.seq;
        out.push_back(std::move(r));
        return true;
    };
    if (held_ && max_records > 0) {
        auto first = std::move(*held_);
        held_.reset();
        take(std::move(first));
    }
    while (out.size() < max_records && !held_) {
        const auto segment = journal_.segment_after(cursor);
        if (!segment) break;
        if (segment_fd_ && segment_first_seq_ == segment->first_seq) {
            scanner_.extend_end(segment->durable_end);
        } else if ((ec = open_segment(segment->first_seq, segment->durable_end))) {
            break;
        }
        // Reads on to the segment's durable end; on first opening a segment, this also
        // skips the records at or before the cursor.
        while (out.size() < max_records && cursor < segment->last_seq) {
            const auto step = scanner_.next(ec);
            if (step != segment_scanner::outcome::record) {
                if (!ec) ec = journal_errc::corrupt_segment;
                break;
            }
            const record_header& h = scanner_.header();
            if (h.seq <= cursor) continue;
            if (!take({h.seq, std::string(scanner_.payload())})) break;
        }
        if (ec) break;
    }
    if (ec) {
        // The next call re-reads the segment from its start, the held record too.
        segment_fd_.reset();
        held_.reset();
        return {};
    }
    cursor_ = cursor;
    return out;
}

}  // namespace optgate
