#include "core/store_error.hpp"

#include <string>

namespace optgate {
namespace {

struct store_category_impl final : std::error_category {
    const char* name() const noexcept override { return "consent store"; }
    std::string message(int ev) const override {
        switch (static_cast<store_error>(ev)) {
            case store_error::data_lost:
                return "Redis has lost data (flushed, evicted or restarted empty)";
            case store_error::reconnected:
                return "the connection to Redis was made again during the read";
            case store_error::answers_held:
                return "answers are held while Redis is verified or repaired";
        }
        return "unknown consent store error";
    }
};

}  // namespace

const std::error_category& store_category() noexcept {
    static const store_category_impl category;
    return category;
}

std::error_code make_error_code(store_error e) noexcept {
    return {static_cast<int>(e), store_category()};
}

}  // namespace optgate
