// The Prometheus text rendering of counters, histograms and gauges: what a scraper reads,
// line by line, including label escaping and cumulative buckets.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "adapters/metrics/metric_families.hpp"
#include "adapters/metrics/process_figures.hpp"

namespace optgate {
namespace {

TEST(CounterFamily, RendersHelpTypeAndOneLinePerLabelSet) {
    counter_family c("t_requests_total", "Requests.", {"route", "status"});
    c.increment({"/b", "200"});
    c.increment({"/a", "404"}, 3);
    c.increment({"/b", "200"});
    EXPECT_EQ(c.value({"/b", "200"}), 2u);
    EXPECT_EQ(c.value({"/x", "200"}), 0u);
    std::string out;
    c.render(out);
    EXPECT_EQ(out,
              "# HELP t_requests_total Requests.\n"
              "# TYPE t_requests_total counter\n"
              "t_requests_total{route=\"/a\",status=\"404\"} 3\n"
              "t_requests_total{route=\"/b\",status=\"200\"} 2\n");
}

TEST(CounterFamily, WithoutSamplesRendersOnlyItsHeader) {
    counter_family c("t_total", "Help with \\ and\nnewline.", {"a"});
    std::string out;
    c.render(out);
    EXPECT_EQ(out, "# HELP t_total Help with \\\\ and\\nnewline.\n# TYPE t_total counter\n");
}

TEST(CounterFamily, EscapesLabelValues) {
    counter_family c("t_total", "T.", {"source"});
    c.increment({"a\"b\\c\nd"});
    std::string out;
    c.render(out);
    EXPECT_NE(out.find("t_total{source=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos) << out;
}

TEST(CounterFamily, CountsEveryIncrementFromManyThreads) {
    counter_family c("t_total", "T.", {"k"});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&c, t] {
            for (int i = 0; i < 10000; ++i) c.increment({std::to_string((t + i) % 3)});
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(c.value({"0"}) + c.value({"1"}) + c.value({"2"}), 40000u);
}

TEST(HistogramFamily, BucketsAreCumulativeWithInfSumAndCount) {
    histogram_family h("t_seconds", "Latency.", {"route"});
    h.observe({"/a"}, 0.003);  // <= 0.005
    h.observe({"/a"}, 0.2);    // <= 0.25
    h.observe({"/a"}, 100);    // only +Inf
    EXPECT_EQ(h.count({"/a"}), 3u);
    std::string out;
    h.render(out);
    EXPECT_EQ(out.find("# HELP t_seconds Latency.\n# TYPE t_seconds histogram\n"), 0u) << out;
    const auto has = [&](const std::string& line) {
        return out.find(line + "\n") != std::string::npos;
    };
    EXPECT_TRUE(has("t_seconds_bucket{route=\"/a\",le=\"0.005\"} 1")) << out;
    EXPECT_TRUE(has("t_seconds_bucket{route=\"/a\",le=\"0.1\"} 1")) << out;
    EXPECT_TRUE(has("t_seconds_bucket{route=\"/a\",le=\"0.25\"} 2")) << out;
    EXPECT_TRUE(has("t_seconds_bucket{route=\"/a\",le=\"30\"} 2")) << out;
    EXPECT_TRUE(has("t_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3")) << out;
    EXPECT_TRUE(has("t_seconds_sum{route=\"/a\"} 100.203")) << out;
    EXPECT_TRUE(has("t_seconds_count{route=\"/a\"} 3")) << out;
}

TEST(HistogramFamily, ABoundaryValueFallsInItsBucket) {
    histogram_family h("t_seconds", "T.", {});
    h.observe({}, 0.5);
    std::string out;
    h.render(out);
    EXPECT_NE(out.find("t_seconds_bucket{le=\"0.25\"} 0\n"), std::string::npos) << out;
    EXPECT_NE(out.find("t_seconds_bucket{le=\"0.5\"} 1\n"), std::string::npos) << out;
    EXPECT_NE(out.find("t_seconds_count 1\n"), std::string::npos) << out;
}

TEST(Gauge, RendersHelpTypeAndValue) {
    std::string out;
    render_gauge(out, "t_bytes", "Bytes.", 1234);
    render_gauge(out, "t_cpu_seconds_total", "CPU.", 1.5, "counter");
    EXPECT_EQ(out,
              "# HELP t_bytes Bytes.\n# TYPE t_bytes gauge\nt_bytes 1234\n"
              "# HELP t_cpu_seconds_total CPU.\n# TYPE t_cpu_seconds_total counter\n"
              "t_cpu_seconds_total 1.5\n");
}

TEST(ProcessFigures, AreReadFromProcSelf) {
    const auto f = read_process_figures();
    ASSERT_TRUE(f.resident_memory_bytes && f.open_fds && f.cpu_seconds_total &&
                f.start_time_seconds);
    EXPECT_GT(*f.resident_memory_bytes, 0);
    EXPECT_GE(*f.open_fds, 3);  // stdin, stdout, stderr at least
    EXPECT_GT(*f.start_time_seconds, 1.6e9);
    std::string out;
    render_process_figures(out, f);
    EXPECT_NE(out.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos) << out;
    EXPECT_NE(out.find("\nprocess_open_fds "), std::string::npos) << out;
}

}  // namespace
}  // namespace optgate
