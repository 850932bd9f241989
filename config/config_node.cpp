#include "config/config_node.hpp"

#include <algorithm>

#include "config/config_error.hpp"

namespace optgate {
namespace {

std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// yaml-cpp marks are 0-based, and a missing value (`key:` alone) carries the next token's
// mark; the caller's line is the better answer then.
int line_of(const YAML::Node& node, int fallback) {
    const YAML::Mark mark = node.Mark();
    if (node.IsNull() || mark.is_null()) return fallback;
    return mark.line + 1;
}

}  // namespace

config_node::config_node(YAML::Node node, std::string path, int line)
    : node_(std::move(node)), path_(std::move(path)), line_(line) {}

void config_node::fail(std::string_view problem) const {
    // The document itself has no key path: "config: line 1: expected a map".
    const std::string where = path_.empty() ? "line " + std::to_string(line_)
                                            : path_ + " (line " + std::to_string(line_) + ")";
    throw config_error("config: " + where + ": " + std::string(problem));
}

std::string config_node::as_string() const {
    if (!node_.IsScalar()) fail("expected a string");
    return node_.Scalar();
}

bool config_node::as_bool() const {
    bool value = false;
    if (!node_.IsScalar() || !YAML::convert<bool>::decode(node_, value))
        fail("expected true or false");
    return value;
}

std::int64_t config_node::as_int(std::int64_t min, std::int64_t max) const {
    std::int64_t value = 0;
    if (!node_.IsScalar() || !YAML::convert<std::int64_t>::decode(node_, value) || value < min ||
        value > max)
        fail("expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return value;
}

std::filesystem::path config_node::as_path(const std::filesystem::path& base_dir) const {
    const std::filesystem::path path = as_string();
    if (path.empty()) fail("expected a path");
    return path.is_absolute() ? path : (base_dir / path).lexically_normal();
}

std::vector<config_node> config_node::as_list() const {
    // `key:` with every item commented out is an empty list, not a type error.
    if (node_.IsNull()) return {};
    if (!node_.IsSequence()) fail("expected a list");
    std::vector<config_node> items;
    for (std::size_t i = 0; i < node_.size(); ++i) {
        const YAML::Node item = node_[i];
        items.emplace_back(item, path_ + "[" + std::to_string(i) + "]", line_of(item, line_));
    }
    return items;
}

config_map::config_map(const config_node& node) : node_(node) {
    const YAML::Node& yaml = node.yaml();
    // A section whose every key is commented out is an empty map, not a type error.
    if (yaml.IsNull()) return;
    if (!yaml.IsMap()) node.fail("expected a map");
    for (const auto& entry : yaml) {
        const int line = line_of(entry.first, node.line());
        if (!entry.first.IsScalar())
            config_node(entry.first, node.path(), line).fail("expected a name as key");
        const std::string key = entry.first.Scalar();
        config_node value(entry.second, child_path(node.path(), key), line);
        if (find(key)) value.fail("repeated key");
        entries_.emplace_back(key, std::move(value));
    }
}

config_map::config_map(const config_node& node, std::initializer_list<std::string_view> allowed)
    : config_map(node) {
    for (const auto& [key, value] : entries_)
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            value.fail("unknown key");
}

std::optional<config_node> config_map::find(std::string_view key) const {
    for (const auto& [name, value] : entries_)
        if (name == key) return value;
    return std::nullopt;
}

config_node config_map::at(std::string_view key) const {
    if (auto value = find(key)) return *value;
    fail_missing(key);
}

void config_map::fail_missing(std::string_view key) const {
    config_node(YAML::Node(), child_path(node_.path(), key), node_.line())
        .fail("missing required value");
}

}  // namespace optgate
