// watch: the change feed (GET /v1/changes) printed live, a change per line, until
// interrupted: from the feed's end, or after a cursor it printed before.
#include <chrono>
#include <iostream>
#include <thread>

#include "core/decimal.hpp"
#include "core/feed_cursor.hpp"
#include "ctl/command.hpp"
#include "ctl/exit_status.hpp"

namespace optgate::ctl {
namespace {

namespace http = boost::beast::http;

// How long one request waits for a change; the daemon allows up to 30 s.
constexpr int wait_seconds = 25;
// How long to wait before asking again when the daemon cannot answer (503, unreachable).
constexpr std::chrono::seconds retry_pause{5};

int run_watch(const command_line& line, const daemon_access& access) {
    std::string cursor = line.value("after").value_or("end");
    if (!feed_cursor_valid(cursor)) {
        complain("--after is a cursor watch printed, 0 (the oldest change kept) or end");
        return exit_usage;
    }
    const auto count = line.value("count");
    const auto parsed = count ? parse_decimal(*count) : std::optional<std::uint64_t>(0);
    if (!parsed || (count && *parsed == 0)) {
        complain("--count is a number of changes, 1 or more");
        return exit_usage;
    }
    std::uint64_t left = *parsed;  // 0: until interrupted
    for (;;) {
        const auto target = "/v1/changes?after=" + cursor + "&wait=" + std::to_string(wait_seconds);
        auto connection = access.connect();
        auto reply = connection.send({http::verb::get, target, {}, {}});
        // A daemon restarting or a Redis failing over: watch goes on once it answers again.
        if (!reply || reply->status == 503) {
            if (!reply)
                report_transport_error(access, reply.error());
            else
                report_refusal(*reply);
            std::this_thread::sleep_for(retry_pause);
            continue;
        }
        if (reply->status != 200) return report_refusal(*reply);
        for (std::size_t begin = 0, end; (end = reply->body.find('\n', begin)) != std::string::npos;
             begin = end + 1) {
            std::cout << std::string_view(reply->body).substr(begin, end - begin + 1);
            if (left && --left == 0) return std::cout.flush() ? exit_ok : exit_failed;
        }
        std::cout.flush();
        if (!reply->next_cursor.empty()) cursor = reply->next_cursor;
    }
}

}  // namespace

const command watch_command{
    {"watch",
     "watch [--after CURSOR] [--count N]",
     {{"after", option_kind::value}, {"count", option_kind::value}},
     0,
     0},
    "print the change feed live, one JSON change per line",
    R"(Prints every consent change as optgate applies it (GET /v1/changes, long-polled), one
JSON object per line with its "cursor" and "id", until interrupted. Role: audit or feed.

  --after CURSOR   start after this cursor (a line's "cursor"), or 0 for the oldest change
                   the feed keeps (default: end, only changes from now on)
  --count N        stop after N changes

While the daemon cannot answer (restarting, Redis failing over) watch says so and asks
again every 5 s, from where it was.
A cursor older than the feed keeps (feed.retention_hours) is refused (410): re-sync from
export-audit, then watch from the end.
)",
    true,
    run_watch};

}  // namespace optgate::ctl
