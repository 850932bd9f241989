// Counters and histograms keyed by fixed label sets, rendered in the Prometheus text
// exposition format 0.0.4. No external library; cardinality is the caller's to bound.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace optgate {

using label_values = std::vector<std::string>;

// Threads: any. A label set is looked up under a shared lock and created once under an
// exclusive one; its value is then an atomic.
class counter_family {
  public:
    counter_family(std::string name, std::string help, std::vector<std::string> label_names);

    void increment(const label_values& labels, std::uint64_t n = 1);
    std::uint64_t value(const label_values& labels) const;
    // HELP, TYPE and one line per label set seen, in label order.
    void render(std::string& out) const;

  private:
    std::string name_, help_;
    std::vector<std::string> label_names_;
    mutable std::shared_mutex mutex_;
    std::map<label_values, std::unique_ptr<std::atomic<std::uint64_t>>> cells_;
};

// Latencies in seconds, with the fixed buckets 0.005 .. 30 (and +Inf).
class histogram_family {
  public:
    static constexpr std::array<double, 12> bucket_bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                          0.5,   1,    2.5,   5,    10,  30};

    histogram_family(std::string name, std::string help, std::vector<std::string> label_names);

    void observe(const label_values& labels, double seconds);
    std::uint64_t count(const label_values& labels) const;
    void render(std::string& out) const;

  private:
    struct cells {
        std::array<std::atomic<std::uint64_t>, bucket_bounds.size()> buckets{};  // not cumulative
        std::atomic<std::uint64_t> count{0};
        std::atomic<double> sum{0};
    };
    cells& cells_for(const label_values& labels);

    std::string name_, help_;
    std::vector<std::string> label_names_;
    mutable std::shared_mutex mutex_;
    std::map<label_values, std::unique_ptr<cells>> cells_;
};

// A figure read at scrape time: HELP, TYPE gauge (or counter) and its one value.
void render_gauge(std::string& out, std::string_view name, std::string_view help, double value,
                  std::string_view type = "gauge");

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string escape_label_value(std::string_view value);
std::string format_metric_value(double value);

}  // namespace optgate
