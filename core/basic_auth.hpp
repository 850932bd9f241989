// HTTP basic authentication (RFC 7617), as Postmark sends the credentials written into its
// webhook URL: checks an Authorization header against the configured user and password.
#pragma once

#include <string_view>

namespace optgate {

// True only if `authorization` is "Basic <base64 of user:password>" with exactly `username`
// and `password`. Both are compared in constant time, and both always, so that the time
// taken says nothing about which one (or how much of either) matched.
bool basic_auth_matches(std::string_view authorization, std::string_view username,
                        std::string_view password);

}  // namespace optgate
