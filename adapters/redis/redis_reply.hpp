// A Redis reply copied out of hiredis's memory (hiredis frees its own reply as soon as the
// callback returns), so it can travel to other handlers.
#pragma once

#include <string>
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

}  // namespace optgate
