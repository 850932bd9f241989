#include "config/secret_value.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace optgate {
namespace {

bool is_env_name(std::string_view name) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
    for (char c : name)
        if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9')))
            return false;
    return true;
}

// `${NAME}` is only recognised as the whole value: a secret is never assembled from parts.
std::string from_inline(const config_node& node) {
    std::string value = node.as_string();
    if (!value.starts_with("${") || !value.ends_with('}')) {
        if (value.empty()) node.fail("is empty");
        refuse_example_placeholder(node, value);
        return value;
    }
    const std::string name = value.substr(2, value.size() - 3);
    if (!is_env_name(name)) node.fail("expected ${ENV_VAR} with a name of letters, digits and _");
    const char* env = std::getenv(name.c_str());
    if (env == nullptr) node.fail("environment variable " + name + " is not set");
    if (*env == '\0') node.fail("environment variable " + name + " is empty");
    return env;
}

// Files such as systemd credentials and `echo secret > file` end in one newline that is
// not part of the secret.
std::string from_file(const config_node& node, const std::filesystem::path& base_dir) {
    const std::filesystem::path path = node.as_path(base_dir);
    const std::string cannot_read = "cannot read " + path.string() + ": ";
    // libstdc++ throws from inside the read on a directory: refuse it before opening.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) node.fail(cannot_read + "is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) node.fail(cannot_read + std::strerror(errno));
    std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) node.fail(cannot_read + "read error");
    if (content.ends_with('\n')) content.pop_back();
    if (content.empty()) node.fail("file " + path.string() + " is empty");
    return content;
}

}  // namespace

void refuse_example_placeholder(const config_node& node, std::string_view text) {
    if (text.starts_with(example_placeholder_prefix))
        node.fail("still holds the example's placeholder: put the real value here");
}

std::optional<std::string> read_secret(const config_map& map, std::string_view key,
                                       const std::filesystem::path& base_dir) {
    const std::string file_key = std::string(key) + "_file";
    const auto inline_value = map.find(key);
    const auto file_value = map.find(file_key);
    if (inline_value && file_value)
        file_value->fail("give " + std::string(key) + " or " + file_key + ", not both");
    if (inline_value) return from_inline(*inline_value);
    if (file_value) return from_file(*file_value, base_dir);
    return std::nullopt;
}

std::string require_secret(const config_map& map, std::string_view key,
                           const std::filesystem::path& base_dir) {
    if (auto secret = read_secret(map, key, base_dir)) return *secret;
    map.fail_missing(key);
}

}  // namespace optgate
