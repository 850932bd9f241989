// The standard process_* figures of Prometheus, read from /proc/self at scrape time.
#pragma once

#include <optional>
#include <string>

namespace optgate {

struct process_figures {
    std::optional<double> resident_memory_bytes;
    std::optional<double> cpu_seconds_total;
    std::optional<double> start_time_seconds;  // since the Unix epoch
    std::optional<double> open_fds;
};

// Figures that cannot be read (no /proc) are left empty and not rendered.
process_figures read_process_figures();
void render_process_figures(std::string& out, const process_figures& figures);

}  // namespace optgate
