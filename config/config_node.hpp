// Typed reads from the YAML document, each value carrying the key path and line that led to
// it, so that every refusal says where: "config: redis.url (line 7): expected a string".
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace optgate {

class config_node {
  public:
    // `line` is 1-based: the line of the node's key, or of the item in a sequence.
    config_node(YAML::Node node, std::string path, int line);

    const std::string& path() const { return path_; }
    int line() const { return line_; }
    const YAML::Node& yaml() const { return node_; }

    // Throws config_error "config: <path> (line <line>): <problem>". The problem must never
    // repeat the value: it may be a secret.
    [[noreturn]] void fail(std::string_view problem) const;

    std::string as_string() const;  // any scalar; null, lists and maps are refused
    bool as_bool() const;
    std::int64_t as_int(std::int64_t min, std::int64_t max) const;
    // A file or directory; a relative one is resolved against `base_dir`, the config file's
    // directory, so that the daemon's working directory does not matter.
    std::filesystem::path as_path(const std::filesystem::path& base_dir) const;
    std::vector<config_node> as_list() const;  // items are named "<path>[i]"

  private:
    YAML::Node node_;
    std::string path_;
    int line_;
};

// A YAML map read key by key. Building it refuses a node that is not a map, a repeated key
// and, when an allowed list is given, any key outside it.
class config_map {
  public:
    config_map(const config_node& node, std::initializer_list<std::string_view> allowed);
    // For maps whose keys are names the operator chooses (programs, short codes).
    explicit config_map(const config_node& node);

    const config_node& node() const { return node_; }
    std::optional<config_node> find(std::string_view key) const;
    config_node at(std::string_view key) const;  // a missing key is an error
    [[noreturn]] void fail_missing(std::string_view key) const;
    const std::vector<std::pair<std::string, config_node>>& entries() const { return entries_; }

  private:
    config_node node_;
    std::vector<std::pair<std::string, config_node>> entries_;  // in document order
};

}  // namespace optgate
