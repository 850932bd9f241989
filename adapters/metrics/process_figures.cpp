#include "adapters/metrics/process_figures.hpp"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "adapters/metrics/metric_families.hpp"

namespace optgate {

namespace {

std::optional<double> boot_time_seconds() {
    std::ifstream in("/proc/stat");
    std::string key;
    while (in >> key) {
        if (key == "btime") {
            double v = 0;
            if (in >> v) return v;
            return std::nullopt;
        }
        in.ignore(1 << 20, '\n');
    }
    return std::nullopt;
}

// A field of /proc/self/stat; 0 if it is not a number (never throws: a scrape must answer).
double number_of(const std::string& field) {
    double v = 0;
    std::from_chars(field.data(), field.data() + field.size(), v);
    return v;
}

}  // namespace

process_figures read_process_figures() {
    process_figures f;
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    if (std::ifstream statm("/proc/self/statm"); statm) {
        double size = 0, resident = 0;
        if (statm >> size >> resident) f.resident_memory_bytes = resident * page;
    }
    if (std::ifstream stat("/proc/self/stat"); stat && ticks > 0) {
        std::string line;
        std::getline(stat, line);
        // The command name (field 2) may hold spaces: fields are counted after its ')'.
        if (const auto close = line.rfind(')'); close != std::string::npos) {
            std::istringstream rest(line.substr(close + 2));
            std::string field;
            double utime = 0, stime = 0, start = 0;
            // rest begins at field 3 (state); utime is 14, stime 15, starttime 22.
            for (int i = 3; rest >> field; ++i) {
                if (i == 14) utime = number_of(field);
                if (i == 15) stime = number_of(field);
                if (i == 22) {
                    start = number_of(field);
                    f.cpu_seconds_total = (utime + stime) / ticks;
                    if (const auto boot = boot_time_seconds())
                        f.start_time_seconds = *boot + start / ticks;
                    break;
                }
            }
        }
    }
    std::error_code ec;
    std::size_t fds = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec))
        ++fds;
    if (!ec && fds > 0) f.open_fds = static_cast<double>(fds - 1);  // minus the one listing them
    return f;
}

void render_process_figures(std::string& out, const process_figures& f) {
    if (f.cpu_seconds_total)
        render_gauge(out, "process_cpu_seconds_total",
                     "Total user and system CPU time spent in seconds.", *f.cpu_seconds_total,
                     "counter");
    if (f.open_fds)
        render_gauge(out, "process_open_fds", "Number of open file descriptors.", *f.open_fds);
    if (f.resident_memory_bytes)
        render_gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
                     *f.resident_memory_bytes);
    if (f.start_time_seconds)
        render_gauge(out, "process_start_time_seconds",
                     "Start time of the process since unix epoch in seconds.",
                     *f.start_time_seconds);
}

}  // namespace optgate
