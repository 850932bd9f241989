#include "adapters/redis/redis_error.hpp"

#include <string>

namespace optgate {
namespace {

struct redis_category_impl final : std::error_category {
    const char* name() const noexcept override { return "redis"; }
    std::string message(int ev) const override {
        switch (static_cast<redis_error>(ev)) {
            case redis_error::not_connected:
                return "not connected to Redis";
            case redis_error::timeout:
                return "Redis command timed out";
            case redis_error::connection_lost:
                return "Redis connection lost";
            case redis_error::server_error:
                return "Redis answered with an error";
            case redis_error::unexpected_reply:
                return "unexpected reply from Redis";
        }
        return "unknown Redis error";
    }
};

}  // namespace

const std::error_category& redis_category() noexcept {
    static const redis_category_impl category;
    return category;
}

std::error_code make_error_code(redis_error e) noexcept {
    return {static_cast<int>(e), redis_category()};
}

}  // namespace optgate
