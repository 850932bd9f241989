#include "adapters/journal/journal_record.hpp"

#include "adapters/journal/crc32c.hpp"
#include "adapters/journal/little_endian.hpp"

namespace optgate {
namespace {

constexpr std::uint32_t last_in_group_flag = 0x80000000u;

std::uint32_t record_checksum(std::uint32_t length_field, std::uint64_t seq,
                              std::string_view payload) {
    std::string fixed;
    put_le32(fixed, length_field);
    put_le64(fixed, seq);
    return crc32c_extend(crc32c(fixed), payload);
}

}  // namespace

void append_record(std::string& out, std::uint64_t seq, std::string_view payload,
                   bool last_in_group) {
    const auto length_field =
        static_cast<std::uint32_t>(payload.size()) | (last_in_group ? last_in_group_flag : 0u);
    put_le32(out, length_field);
    put_le32(out, record_checksum(length_field, seq, payload));
    put_le64(out, seq);
    out.append(payload);
}

std::optional<record_header> decode_record_header(std::string_view bytes) {
    if (bytes.size() < record_header_bytes) return std::nullopt;
    const std::uint32_t length_field = get_le32(bytes);
    record_header h;
    h.length = length_field & ~last_in_group_flag;
    h.last_in_group = (length_field & last_in_group_flag) != 0;
    h.crc = get_le32(bytes.substr(4));
    h.seq = get_le64(bytes.substr(8));
    if (h.length > journal_max_record_bytes) return std::nullopt;
    return h;
}

bool record_checksum_matches(const record_header& h, std::string_view payload) {
    const std::uint32_t length_field = h.length | (h.last_in_group ? last_in_group_flag : 0u);
    return payload.size() == h.length && record_checksum(length_field, h.seq, payload) == h.crc;
}

}  // namespace optgate
