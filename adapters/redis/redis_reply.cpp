#include "adapters/redis/redis_reply.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

namespace optgate {

redis_reply copy_reply(const redisReply& r) {
    redis_reply out;
    switch (r.type) {
        case REDIS_REPLY_STATUS:
            out.type = redis_reply::kind::status;
            break;
        case REDIS_REPLY_ERROR:
            out.type = redis_reply::kind::error;
            break;
        case REDIS_REPLY_INTEGER:
            out.type = redis_reply::kind::integer;
            break;
        case REDIS_REPLY_STRING:
            out.type = redis_reply::kind::string;
            break;
        case REDIS_REPLY_ARRAY:
            out.type = redis_reply::kind::array;
            break;
        default:
            out.type = redis_reply::kind::nil;
            break;
    }
    out.integer = r.integer;
    if (r.str) out.str.assign(r.str, r.len);
    out.elements.reserve(r.elements);
    for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(copy_reply(*r.element[i]));
    return out;
}

std::optional<long long> parse_reply_integer(std::string_view text) {
    long long value = 0;
    const char* const end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || stop != end) return std::nullopt;
    return value;
}

}  // namespace optgate
