#include "adapters/logging/log_format.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include "config/settings.hpp"
#include "core/json_text.hpp"
#include "core/timestamp.hpp"

namespace optgate {
namespace {

constexpr std::string_view request_tag_start = "[req ";

class json_log_formatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        const auto tagged =
            split_request_tag(std::string_view(msg.payload.data(), msg.payload.size()));
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch())
                .count();
        std::string line = "{\"time\":";
        append_json_string(line, format_rfc3339(ms));
        line += ",\"level\":";
        const auto level = spdlog::level::to_string_view(msg.level);
        append_json_string(line, std::string_view(level.data(), level.size()));
        if (!tagged.request_id.empty()) {
            line += ",\"request_id\":";
            append_json_string(line, tagged.request_id);
        }
        line += ",\"message\":";
        append_json_string(line, tagged.text);
        line += "}\n";
        dest.append(line.data(), line.data() + line.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<json_log_formatter>();
    }
};

}  // namespace

request_tagged_message split_request_tag(std::string_view message) {
    if (!message.starts_with(request_tag_start)) return {{}, message};
    const auto end = message.find("] ", request_tag_start.size());
    if (end == std::string_view::npos || end == request_tag_start.size()) return {{}, message};
    return {message.substr(request_tag_start.size(), end - request_tag_start.size()),
            message.substr(end + 2)};
}

std::unique_ptr<spdlog::formatter> make_json_log_formatter() {
    return std::make_unique<json_log_formatter>();
}

void configure_logging(const log_settings& log) {
    spdlog::set_level(spdlog::level::from_str(log.level));
    if (log.json)
        spdlog::set_formatter(make_json_log_formatter());
    else
        spdlog::set_formatter(std::make_unique<spdlog::pattern_formatter>());
}

}  // namespace optgate
