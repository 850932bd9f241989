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
                                                         std::error_code& ec) {
    ec.clear();
    std::vector<record> out;
    std::uint64_t cursor = cursor_;
    while (out.size() < max_records) {
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
            out.push_back({h.seq, std::string(scanner_.payload())});
            cursor = h.seq;
        }
        if (ec) break;
    }
    if (ec) {
        segment_fd_.reset();  // the next call re-reads the segment from its start
        return {};
    }
    cursor_ = cursor;
    return out;
}

}  // namespace optgate
