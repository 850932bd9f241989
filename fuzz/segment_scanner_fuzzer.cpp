// Journal segment files as start-up recovery and the applier read them (segment_scanner over
// a file descriptor, here a memfd). Two readings of each input:
// - the raw bytes as a file: the scanner finds exactly the records that decode_record_header
//   and record_checksum_matches find walking the bytes in memory, and stops where they stop;
// - its lines as the payloads of records framed by append_record (when the first line is
//   "#big", after a record that nearly fills the scanner's 256 KiB read chunk): the scanner
//   returns each payload, in order; and (but for "#big") on a file cut short, a torn tail,
//   the whole records before the cut, then `invalid`, or `end` when the cut falls between
//   records.
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "adapters/journal/journal_record.hpp"
#include "adapters/journal/journal_segment.hpp"
#include "adapters/journal/segment_scanner.hpp"
#include "adapters/pipeline/event_codec.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

struct scanned_record {
    std::uint64_t seq;
    bool last_in_group;
    std::string payload;
    friend bool operator==(const scanned_record&, const scanned_record&) = default;
};

struct scan {
    std::vector<scanned_record> records;
    std::uint64_t stopped_at = 0;
    bool reached_end = false;  // else the bytes at stopped_at are not an intact record
};

// One memfd for the whole run, rewritten for each input.
int file_of(std::string_view bytes) {
    static const int fd = memfd_create("optgate-fuzz-segment", 0);
    FUZZ_INVARIANT(fd >= 0);
    FUZZ_INVARIANT(ftruncate(fd, 0) == 0);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n =
            pwrite(fd, bytes.data() + written, bytes.size() - written, static_cast<off_t>(written));
        FUZZ_INVARIANT(n > 0);
        written += static_cast<std::size_t>(n);
    }
    return fd;
}

scan scan_file(std::string_view bytes, std::uint64_t start, std::uint64_t end) {
    segment_scanner scanner(file_of(bytes), start, end);
    scan out;
    for (;;) {
        std::error_code ec;
        const auto before = scanner.offset();
        const auto outcome = scanner.next(ec);
        FUZZ_INVARIANT(!ec);
        if (outcome != segment_scanner::outcome::record) {
            FUZZ_INVARIANT(scanner.offset() == before);
            out.stopped_at = before;
            out.reached_end = outcome == segment_scanner::outcome::end;
            return out;
        }
        const auto& h = scanner.header();
        const auto payload = scanner.payload();
        FUZZ_INVARIANT(payload.size() == h.length && h.length <= journal_max_record_bytes);
        FUZZ_INVARIANT(scanner.offset() == before + record_header_bytes + h.length);
        FUZZ_INVARIANT(scanner.offset() <= end);
        FUZZ_INVARIANT(record_checksum_matches(h, payload));
        out.records.push_back({h.seq, h.last_in_group, std::string(payload)});
    }
}

// The same walk in memory, with the record functions alone.
scan walk_bytes(std::string_view bytes, std::size_t start) {
    scan out;
    std::size_t at = start;
    for (;;) {
        out.stopped_at = at;
        if (at == bytes.size()) {
            out.reached_end = true;
            return out;
        }
        const auto h = decode_record_header(bytes.substr(at));
        if (!h || bytes.size() - at - record_header_bytes < h->length) return out;
        const auto payload = bytes.substr(at + record_header_bytes, h->length);
        if (!record_checksum_matches(*h, payload)) return out;
        out.records.push_back({h->seq, h->last_in_group, std::string(payload)});
        at += record_header_bytes + h->length;
    }
}

void check_raw(std::string_view bytes) {
    // A segment file opens with its header (whatever decodes is encoded the same way again,
    // but for the last u32, which reads as reserved), and its records follow; without one,
    // the bytes are read as records from the start.
    const auto header = decode_segment_header(bytes);
    if (header) FUZZ_INVARIANT(encode_segment_header(*header).substr(0, 28) == bytes.substr(0, 28));
    const std::size_t start = header ? segment_header_bytes : 0;
    const scan scanned = scan_file(bytes, start, bytes.size());
    const scan walked = walk_bytes(bytes, start);
    FUZZ_INVARIANT(scanned.records == walked.records);
    FUZZ_INVARIANT(scanned.stopped_at == walked.stopped_at);
    FUZZ_INVARIANT(scanned.reached_end == walked.reached_end);
    for (const auto& r : scanned.records) static_cast<void>(decode_events(r.payload));
}

// A record of nearly the scanner's 256 KiB read chunk: the records after it cross the chunk's
// end at every offset their sizes make.
const scanned_record& filler() {
    static const scanned_record record{1, true, std::string((256u << 10) - 200, 'F')};
    return record;
}

void check_framed(std::string_view input) {
    const bool big = input.starts_with("#big\n");
    if (big) input.remove_prefix(5);
    const std::size_t input_size = input.size();
    std::vector<scanned_record> expected;
    std::string file;
    if (big) {
        append_record(file, filler().seq, filler().payload, filler().last_in_group);
        expected.push_back(filler());
    }
    for (std::uint64_t seq = 2; !input.empty(); ++seq) {
        const std::string_view payload = take_line(input);
        const bool last = seq % 3 == 0;  // groups of three records
        append_record(file, seq, payload, last);
        expected.push_back({seq, last, std::string(payload)});
    }
    const scan whole = scan_file(file, 0, file.size());
    FUZZ_INVARIANT(whole.reached_end && whole.stopped_at == file.size());
    FUZZ_INVARIANT(whole.records == expected);
    if (file.empty() || big) return;
    // Torn: the file ends somewhere inside; which records survive is decided by the cut alone.
    const std::uint64_t cut = (input_size * 7919) % file.size();
    const scan torn = scan_file(file, 0, cut);
    std::size_t whole_records = 0;
    std::uint64_t boundary = 0;
    while (whole_records < expected.size() &&
           boundary + record_header_bytes + expected[whole_records].payload.size() <= cut) {
        boundary += record_header_bytes + expected[whole_records].payload.size();
        ++whole_records;
    }
    FUZZ_INVARIANT(torn.records.size() == whole_records);
    FUZZ_INVARIANT(torn.stopped_at == boundary);
    FUZZ_INVARIANT(torn.reached_end == (boundary == cut));
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate::fuzz;
    check_raw(as_text(data, size));
    check_framed(as_text(data, size));
    return 0;
}
