// How the daemon's log lines look: readable text, or one JSON object per line for log
// shippers (log.format). Either way a line about a request carries its id: the routes write
// "[req <id>] ..." at the start of the message, and the JSON format lifts that into a
// "request_id" field.
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/formatter.h>

namespace optgate {

struct log_settings;

// Applies log.level and log.format to the default logger; at start and on SIGHUP.
void configure_logging(const log_settings& log);

// {"time":"2026-11-22T10:00:00.123Z","level":"info","request_id":"7","message":"..."}
std::unique_ptr<spdlog::formatter> make_json_log_formatter();

struct request_tagged_message {
    std::string_view request_id;  // empty when the line is not about a request
    std::string_view text;        // the message without its "[req <id>] " tag
};

request_tagged_message split_request_tag(std::string_view message);

}  // namespace optgate
