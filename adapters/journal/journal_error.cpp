#include "adapters/journal/journal_error.hpp"

#include <string>

namespace optgate {
namespace {

class journal_category_impl final : public std::error_category {
  public:
    const char* name() const noexcept override { return "optgate.journal"; }
    std::string message(int value) const override {
        switch (static_cast<journal_errc>(value)) {
            case journal_errc::record_too_large:
                return "journal record too large";
            case journal_errc::empty_group:
                return "journal append with no records";
            case journal_errc::closed:
                return "journal is closed";
            case journal_errc::corrupt_segment:
                return "journal segment is corrupt";
        }
        return "unknown journal error";
    }
};

}  // namespace

const std::error_category& journal_category() noexcept {
    static const journal_category_impl category;
    return category;
}

std::error_code make_error_code(journal_errc e) noexcept {
    return {static_cast<int>(e), journal_category()};
}

}  // namespace optgate
