// The applier's persisted cursor, `dir/applied`: the highest seq already applied to Redis,
// as decimal text. Replaced by write-temp + rename; never fsync'd, since replay is idempotent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <system_error>

namespace optgate {

// 0 when the file is missing or not a whole number followed by a newline (a crash between
// rename and write-back can leave it empty): the applier then replays every retained record.
std::uint64_t read_applied_cursor(const std::filesystem::path& dir, std::error_code& ec);

std::error_code write_applied_cursor(const std::filesystem::path& dir, std::uint64_t seq);

}  // namespace optgate
