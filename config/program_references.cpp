#include "config/program_references.hpp"

#include <algorithm>
#include <string_view>

namespace optgate {
namespace {

constexpr std::string_view non_emergency_program = "district";

}  // namespace

std::string configured_program_names(const settings& out) {
    std::string known;
    for (const auto& program : out.programs) known += (known.empty() ? "" : ", ") + program.name;
    return known;
}

std::vector<program_purpose> program_purposes(const settings& out) {
    std::vector<program_purpose> purposes;
    for (const auto& program : out.programs) purposes.push_back({program.name, program.emergency});
    return purposes;
}

std::string read_program_name(const config_node& node, const settings& out) {
    std::string name = node.as_string();
    if (out.find_program(name) == nullptr)
        node.fail("unknown program \"" + name + "\" (configured: " + configured_program_names(out) +
                  ")");
    return name;
}

std::vector<std::string> read_program_list(const std::optional<config_node>& node,
                                           const settings& out) {
    std::vector<std::string> names;
    if (!node) {
        if (out.find_program(std::string(non_emergency_program)))
            names.emplace_back(non_emergency_program);
        return names;
    }
    for (const auto& item : node->as_list()) {
        std::string name = read_program_name(item, out);
        if (std::find(names.begin(), names.end(), name) != names.end())
            item.fail("repeated program");
        names.push_back(std::move(name));
    }
    return names;
}

}  // namespace optgate
