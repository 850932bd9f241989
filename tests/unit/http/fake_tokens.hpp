// Request tokens bound in memory, as the Redis replay guard binds them (without expiry).
#pragma once

#include <map>
#include <string>
#include <system_error>

#include "core/token_binder.hpp"

namespace optgate::testing {

class fake_tokens final : public token_binder {
  public:
    bool fails = false;  // every bind fails, as with Redis unreachable

    void bind(std::string_view scope, std::string_view token, std::string_view fingerprint,
              std::chrono::milliseconds, bind_handler handler) override {
        if (fails) return handler(std::make_error_code(std::errc::timed_out), token_use::other);
        const auto [it, inserted] =
            bound_.try_emplace(std::string(scope) + '\n' + std::string(token), fingerprint);
        handler({}, inserted                    ? token_use::first
                    : it->second == fingerprint ? token_use::again
                                                : token_use::other);
    }

  private:
    std::map<std::string, std::string> bound_;
};

}  // namespace optgate::testing
