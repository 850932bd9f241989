// CRC-32C (Castagnoli), the checksum that guards every journal record and segment header
// against torn writes and bit rot. Table-driven, no hardware dependence.
#pragma once

#include <cstdint>
#include <string_view>

namespace optgate {

// Extends a running CRC-32C with more bytes; start from 0. crc32c_extend(crc32c_extend(0, a), b)
// equals crc32c_extend(0, a + b), so a record's header and payload are summed without a copy.
std::uint32_t crc32c_extend(std::uint32_t crc, std::string_view bytes);

inline std::uint32_t crc32c(std::string_view bytes) {
    return crc32c_extend(0, bytes);
}

}  // namespace optgate
