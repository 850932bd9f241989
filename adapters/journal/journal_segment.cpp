#include "adapters/journal/journal_segment.hpp"

#include <charconv>
#include <cstdio>

#include "adapters/journal/crc32c.hpp"
#include "adapters/journal/little_endian.hpp"

namespace optgate {
namespace {

constexpr std::uint32_t segment_magic = 0x534A474Fu;  // "OGJS" read as little-endian
constexpr std::uint32_t segment_version = 1;
constexpr std::size_t checksummed_bytes = 24;
constexpr std::size_t name_digits = 20;
constexpr std::string_view name_suffix = ".seg";

}  // namespace

std::string encode_segment_header(const segment_header& h) {
    std::string out;
    out.reserve(segment_header_bytes);
    put_le32(out, segment_magic);
    put_le32(out, segment_version);
    put_le64(out, h.first_seq);
    put_le64(out, h.prev_durable_seq);
    put_le32(out, crc32c(out));
    put_le32(out, 0);
    return out;
}

std::optional<segment_header> decode_segment_header(std::string_view bytes) {
    if (bytes.size() < segment_header_bytes) return std::nullopt;
    if (get_le32(bytes) != segment_magic || get_le32(bytes.substr(4)) != segment_version)
        return std::nullopt;
    if (get_le32(bytes.substr(checksummed_bytes)) != crc32c(bytes.substr(0, checksummed_bytes)))
        return std::nullopt;
    return segment_header{get_le64(bytes.substr(8)), get_le64(bytes.substr(16))};
}

std::string segment_file_name(std::uint64_t first_seq) {
    char name[name_digits + name_suffix.size() + 1];
    std::snprintf(name, sizeof name, "%020llu.seg", static_cast<unsigned long long>(first_seq));
    return name;
}

std::optional<std::uint64_t> parse_segment_file_name(std::string_view name) {
    if (name.size() != name_digits + name_suffix.size() || !name.ends_with(name_suffix))
        return std::nullopt;
    std::uint64_t seq = 0;
    const char* last = name.data() + name_digits;
    auto [end, ec] = std::from_chars(name.data(), last, seq);
    if (ec != std::errc{} || end != last) return std::nullopt;
    return seq;
}

}  // namespace optgate
