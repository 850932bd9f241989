// The journal's own error codes (everything that is not an errno from the file system),
// with their std::error_category so callers compare against journal_errc::... directly.
#pragma once

#include <system_error>

namespace optgate {

enum class journal_errc {
    record_too_large = 1,  // a record's payload exceeds journal_max_record_bytes
    empty_group,           // append() was given no records
    closed,                // append() raced with the journal's destruction
    corrupt_segment,       // a checksum, sequence or header error where data must be intact
};

const std::error_category& journal_category() noexcept;
std::error_code make_error_code(journal_errc e) noexcept;

}  // namespace optgate

template <>
struct std::is_error_code_enum<optgate::journal_errc> : std::true_type {};
