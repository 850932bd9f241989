#include "adapters/journal/segment_recovery.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <optional>

#include "adapters/journal/journal_error.hpp"
#include "adapters/journal/segment_scanner.hpp"
#include "adapters/journal/unique_fd.hpp"

namespace optgate {
namespace {

constexpr std::uint64_t no_limit = std::numeric_limits<std::uint64_t>::max();

std::error_code last_errno() {
    return {errno, std::system_category()};
}

struct segment_file {
    std::uint64_t first_seq = 0;
    std::filesystem::path path;
    unique_fd fd;
    std::uint64_t size = 0;
    std::optional<segment_header> header;  // nullopt when torn or not ours
};

std::error_code list_segment_files(const std::filesystem::path& dir,
                                   std::vector<segment_file>& files) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        auto first_seq = parse_segment_file_name(it->path().filename().string());
        if (!first_seq || !it->is_regular_file(ec)) continue;
        files.emplace_back();
        files.back().first_seq = *first_seq;
        files.back().path = it->path();
    }
    if (ec) return ec;
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.first_seq < b.first_seq; });
    return {};
}

std::error_code read_header(segment_file& f) {
    f.fd.reset(::open(f.path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!f.fd) return last_errno();
    struct stat st {};
    if (::fstat(f.fd.get(), &st) != 0) return last_errno();
    f.size = static_cast<std::uint64_t>(st.st_size);
    std::string bytes(segment_header_bytes, '\0');
    const ssize_t got = ::pread(f.fd.get(), bytes.data(), bytes.size(), 0);
    if (got < 0) return last_errno();
    bytes.resize(static_cast<std::size_t>(got));
    f.header = decode_segment_header(bytes);
    if (f.header &&
        (f.header->first_seq != f.first_seq || f.header->prev_durable_seq >= f.first_seq))
        f.header.reset();
    return {};
}

// An intact record behind a bad header means the header rotted, not that it was torn.
bool holds_intact_first_record(const segment_file& f) {
    segment_scanner scanner(f.fd.get(), segment_header_bytes, f.size);
    std::error_code ec;
    return scanner.next(ec) == segment_scanner::outcome::record &&
           scanner.header().seq == f.first_seq;
}

// A crash while a segment was being created can leave it without a whole header; it never
// held a durable record (its header is synced together with its first batch).
std::error_code remove_torn_last_files(std::vector<segment_file>& files, int dir_fd,
                                       journal_file_ops& ops, journal_recovery& report) {
    bool removed = false;
    while (!files.empty() && !files.back().header) {
        if (holds_intact_first_record(files.back())) return journal_errc::corrupt_segment;
        if (::unlink(files.back().path.c_str()) != 0) return last_errno();
        report.truncated_bytes += files.back().size;
        files.pop_back();
        removed = true;
    }
    if (removed && ops.fsync(dir_fd) != 0) return last_errno();
    return {};
}

// Scans one file's records up to `limit` (its durable end as the next file's header states
// it; no_limit for the last file) and returns its entry in the journal's table.
std::error_code scan_segment(const segment_file& f, std::uint64_t limit,
                             std::uint64_t next_first_seq, journal_segment& out) {
    out = {f.first_seq, 0, 0, f.size};
    if (limit < f.first_seq) return {};  // a failed batch made this file, nothing durable
    out.durable_end = segment_header_bytes;
    segment_scanner scanner(f.fd.get(), segment_header_bytes, f.size);
    std::uint64_t prev_seq = 0;
    bool in_group = false;
    for (;;) {
        std::error_code ec;
        if (scanner.next(ec) != segment_scanner::outcome::record) {
            if (ec) return ec;
            break;
        }
        const record_header& h = scanner.header();
        const bool in_order = h.seq >= f.first_seq && h.seq < next_first_seq && h.seq > prev_seq &&
                              (!in_group || h.seq == prev_seq + 1);
        if (!in_order || h.seq > limit) break;
        prev_seq = h.seq;
        in_group = !h.last_in_group;
        if (h.last_in_group) {
            out.last_seq = h.seq;
            out.durable_end = scanner.offset();
        }
        if (h.seq == limit) break;
    }
    if (limit != no_limit && out.last_seq != limit) return journal_errc::corrupt_segment;
    return {};
}

}  // namespace

std::error_code recover_segments(const std::filesystem::path& dir, int dir_fd,
                                 journal_file_ops& ops, recovered_journal& out) {
    out = {};
    std::vector<segment_file> files;
    if (auto ec = list_segment_files(dir, files)) return ec;
    for (auto& f : files)
        if (auto ec = read_header(f)) return ec;
    if (auto ec = remove_torn_last_files(files, dir_fd, ops, out.report)) return ec;

    // A file's header bounds the durable records of every file before it.
    std::vector<std::uint64_t> limits(files.size(), no_limit);
    std::uint64_t bound = no_limit;
    for (std::size_t i = files.size(); i-- > 0;) {
        limits[i] = bound;
        if (files[i].header) bound = files[i].header->prev_durable_seq;
    }

    for (std::size_t i = 0; i < files.size(); ++i) {
        const bool last = i + 1 == files.size();
        if (!files[i].header && limits[i] >= files[i].first_seq)
            return journal_errc::corrupt_segment;
        journal_segment segment;
        const std::uint64_t next_first_seq = last ? no_limit : files[i + 1].first_seq;
        if (auto ec = scan_segment(files[i], limits[i], next_first_seq, segment)) return ec;
        if (last && segment.durable_end < files[i].size) {
            if (::truncate(files[i].path.c_str(), static_cast<off_t>(segment.durable_end)) != 0)
                return last_errno();
            out.report.truncated_bytes += files[i].size - segment.durable_end;
            segment.file_bytes = segment.durable_end;
        } else if (!last) {
            out.report.abandoned_bytes +=
                files[i].size - std::min(files[i].size, segment.durable_end);
        }
        out.report.durable_seq = std::max(out.report.durable_seq, segment.last_seq);
        out.segments.push_back(segment);
    }
    out.report.segments = out.segments.size();
    return {};
}

}  // namespace optgate
