#include "adapters/metrics/metric_families.hpp"

#include <charconv>
#include <cmath>
#include <mutex>

namespace optgate {

namespace {

std::string escape_help(std::string_view help) {
    std::string out;
    for (const char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out.push_back(c);
    }
    return out;
}

void render_header(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
    out += "# HELP ";
    out += name;
    out.push_back(' ');
    out += escape_help(help);
    out += "\n# TYPE ";
    out += name;
    out.push_back(' ');
    out += type;
    out.push_back('\n');
}

// `{a="x",b="y"}`, with `extra` (already formatted, e.g. le="0.5") last; nothing if empty.
void render_labels(std::string& out, const std::vector<std::string>& names,
                   const label_values& values, std::string_view extra = {}) {
    if (names.empty() && extra.empty()) return;
    out.push_back('{');
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out.push_back(',');
        out += names[i];
        out += "=\"";
        out += escape_label_value(i < values.size() ? values[i] : std::string{});
        out.push_back('"');
    }
    if (!extra.empty()) {
        if (!names.empty()) out.push_back(',');
        out += extra;
    }
    out.push_back('}');
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out.push_back(c);
    }
    return out;
}

std::string format_metric_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

void render_gauge(std::string& out, std::string_view name, std::string_view help, double value,
                  std::string_view type) {
    render_header(out, name, help, type);
    out += name;
    out.push_back(' ');
    out += format_metric_value(value);
    out.push_back('\n');
}

counter_family::counter_family(std::string name, std::string help,
                               std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

void counter_family::increment(const label_values& labels, std::uint64_t n) {
    {
        std::shared_lock lock(mutex_);
        if (const auto it = cells_.find(labels); it != cells_.end()) {
            it->second->fetch_add(n, std::memory_order_relaxed);
            return;
        }
    }
    std::unique_lock lock(mutex_);
    auto& cell = cells_[labels];
    if (!cell) cell = std::make_unique<std::atomic<std::uint64_t>>(0);
    cell->fetch_add(n, std::memory_order_relaxed);
}

std::uint64_t counter_family::value(const label_values& labels) const {
    std::shared_lock lock(mutex_);
    const auto it = cells_.find(labels);
    return it == cells_.end() ? 0 : it->second->load(std::memory_order_relaxed);
}

void counter_family::render(std::string& out) const {
    render_header(out, name_, help_, "counter");
    std::shared_lock lock(mutex_);
    for (const auto& [labels, cell] : cells_) {
        out += name_;
        render_labels(out, label_names_, labels);
        out.push_back(' ');
        out += std::to_string(cell->load(std::memory_order_relaxed));
        out.push_back('\n');
    }
}

histogram_family::histogram_family(std::string name, std::string help,
                                   std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

histogram_family::cells& histogram_family::cells_for(const label_values& labels) {
    {
        std::shared_lock lock(mutex_);
        if (const auto it = cells_.find(labels); it != cells_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    auto& c = cells_[labels];
    if (!c) c = std::make_unique<cells>();
    return *c;
}

void histogram_family::observe(const label_values& labels, double seconds) {
    auto& c = cells_for(labels);
    for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
        if (seconds <= bucket_bounds[i]) {
            c.buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    c.sum.fetch_add(seconds, std::memory_order_relaxed);
    c.count.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t histogram_family::count(const label_values& labels) const {
    std::shared_lock lock(mutex_);
    const auto it = cells_.find(labels);
    return it == cells_.end() ? 0 : it->second->count.load(std::memory_order_relaxed);
}

void histogram_family::render(std::string& out) const {
    render_header(out, name_, help_, "histogram");
    std::shared_lock lock(mutex_);
    for (const auto& [labels, c] : cells_) {
        // Read count first: a concurrent observation may then show in a bucket but not in
        // the count, never the reverse, so +Inf (= count) is at least every bucket.
        const auto count = c->count.load(std::memory_order_relaxed);
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
            cumulative += c->buckets[i].load(std::memory_order_relaxed);
            out += name_;
            out += "_bucket";
            render_labels(out, label_names_, labels,
                          "le=\"" + format_metric_value(bucket_bounds[i]) + "\"");
            out.push_back(' ');
            out += std::to_string(std::min(cumulative, count));
            out.push_back('\n');
        }
        out += name_;
        out += "_bucket";
        render_labels(out, label_names_, labels, "le=\"+Inf\"");
        out.push_back(' ');
        out += std::to_string(count);
        out += '\n';
        out += name_;
        out += "_sum";
        render_labels(out, label_names_, labels);
        out.push_back(' ');
        out += format_metric_value(c->sum.load(std::memory_order_relaxed));
        out.push_back('\n');
        out += name_;
        out += "_count";
        render_labels(out, label_names_, labels);
        out.push_back(' ');
        out += std::to_string(count);
        out.push_back('\n');
    }
}

}  // namespace optgate
