// The journal's segment files: their names, the header that opens each one, and the entry
// the journal keeps per file so that writer, readers and retention agree on what is durable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace optgate {

inline constexpr std::size_t segment_header_bytes = 32;

// Layout, little-endian: u32 magic "OGJS", u32 version (1), u64 first_seq, u64
// prev_durable_seq, u32 CRC-32C of the 24 bytes before it, u32 zero.
struct segment_header {
    std::uint64_t first_seq = 0;  // the seq the file is named after; its records are >= it
    // The journal's durable seq when this file was created. Every earlier file holds durable
    // records up to this seq at most; bytes after it there belong to a failed batch.
    std::uint64_t prev_durable_seq = 0;
};

std::string encode_segment_header(const segment_header& h);
// nullopt when the bytes are short, of another format, or fail their checksum.
std::optional<segment_header> decode_segment_header(std::string_view bytes);

// "00000000000000000001.seg": zero-padded so that names sort as their seqs do.
std::string segment_file_name(std::uint64_t first_seq);
std::optional<std::uint64_t> parse_segment_file_name(std::string_view name);

// What the journal knows about one segment file.
struct journal_segment {
    std::uint64_t first_seq = 0;
    std::uint64_t last_seq = 0;     // its highest durable record; 0 when it holds none
    std::uint64_t durable_end = 0;  // the offset just past that record; readers stop there
    std::uint64_t file_bytes = 0;   // size on disk, including a failed batch's bytes
};

}  // namespace optgate
