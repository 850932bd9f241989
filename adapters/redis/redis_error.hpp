// Errors of the Redis adapter, as std::error_code values with their own category.
#pragma once

#include <system_error>

namespace optgate {

enum class redis_error {
    not_connected = 1,  // no usable connection right now (connecting, backing off, stopped)
    timeout,            // the command's deadline passed; the connection is reset
    connection_lost,    // the connection went away before the reply came
    server_error,       // Redis answered with an error reply
    unexpected_reply,   // a reply of a shape this code does not expect
};

const std::error_category& redis_category() noexcept;
std::error_code make_error_code(redis_error e) noexcept;

}  // namespace optgate

template <>
struct std::is_error_code_enum<optgate::redis_error> : std::true_type {};
