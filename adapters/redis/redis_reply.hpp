// A Redis reply copied out of hiredis's memory (hiredis frees its own reply as soon as the
// callback returns), so it can travel to other handlers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisReply;

namespace optgate {

struct redis_reply {
    enum class kind { nil, status, error, integer, string, array };
    kind type = kind::nil;
    long long integer = 0;
    std::string str;  // status, error or bulk string
    std::vector<redis_reply> elements;

    bool is_error() const { return type == kind::error; }
    bool is_nil() const { return type == kind::nil; }
};

redis_reply copy_reply(const redisReply& reply);

// The whole number in a string Redis sends for one (a sorted set's score, WITHSCORES), or
// nullopt when the text is anything else: a reply of an unexpected shape is an error for the
// caller to report, never an exception thrown through hiredis's callback.
std::optional<long long> parse_reply_integer(std::string_view text);

}  // namespace optgate
