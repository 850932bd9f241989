// What a consent_reader reports when the store answered but cannot be trusted: its own error
// category, apart from the transport's errors (unreachable, timed out), which a route answers
// the same way but words differently.
#pragma once

#include <system_error>

namespace optgate {

enum class store_error {
    data_lost = 1,  // the store no longer holds the journal-complete marker: flushed, evicted,
                    // or restarted empty; nothing read with it may be trusted
    // A read that must come from the server an earlier one came from (a long check's
    // chunks) came over another connection: the server may be another, not yet verified.
    reconnected,
    answers_held,  // answers are held (Redis being verified or repaired): nothing is read
};

const std::error_category& store_category() noexcept;
std::error_code make_error_code(store_error e) noexcept;

}  // namespace optgate

template <>
struct std::is_error_code_enum<optgate::store_error> : std::true_type {};
