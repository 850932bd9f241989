// Fixed-width little-endian integers for the journal's on-disk headers, so a journal written
// on one machine reads the same on any other.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace optgate {

inline void put_le32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

inline void put_le64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

// `bytes` must hold at least 4 (8) bytes; callers check lengths first.
inline std::uint32_t get_le32(std::string_view bytes) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    return v;
}

inline std::uint64_t get_le64(std::string_view bytes) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
    return v;
}

}  // namespace optgate
