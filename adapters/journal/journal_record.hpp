// One journal record on disk: a 16-byte header (length and group flag, CRC-32C, seq) and
// the caller's opaque payload. Encoding and checking only; files are read elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace optgate {

inline constexpr std::size_t record_header_bytes = 16;
inline constexpr std::size_t journal_max_record_bytes = 1u << 20;

// Layout, little-endian: u32 payload length with bit 31 set on the last record of its append
// group, u32 CRC-32C over (that u32, the seq, the payload), u64 seq. The flag lets recovery
// drop a group whose tail was torn, so that a group is durable whole or not at all.
struct record_header {
    std::uint32_t length = 0;
    bool last_in_group = false;
    std::uint32_t crc = 0;
    std::uint64_t seq = 0;
};

void append_record(std::string& out, std::uint64_t seq, std::string_view payload,
                   bool last_in_group);

// nullopt when `bytes` is shorter than a header or announces a payload over the maximum.
std::optional<record_header> decode_record_header(std::string_view bytes);

bool record_checksum_matches(const record_header& h, std::string_view payload);

}  // namespace optgate
