#include "ctl/command_line.hpp"

#include <algorithm>

namespace optgate::ctl {
namespace {

const option_spec* find_option(std::string_view name, const std::vector<option_spec>& options) {
    for (const auto& o : options)
        if (o.name == name) return &o;
    return nullptr;
}

const option_spec* find_option(std::string_view name, const command_spec* spec) {
    if (const auto* o = find_option(name, common_options())) return o;
    return spec ? find_option(name, spec->options) : nullptr;
}

}  // namespace

const std::vector<option_spec>& common_options() {
    static const std::vector<option_spec> options{
        {"url", option_kind::value},
        {"api-key-file", option_kind::value},
        {"timeout", option_kind::value},
    };
    return options;
}

bool command_line::flag(std::string_view name) const {
    return flags.find(name) != flags.end();
}

std::optional<std::string> command_line::value(std::string_view name) const {
    const auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> command_line::all(std::string_view name) const {
    const auto it = values.find(name);
    return it == values.end() ? std::vector<std::string>{} : it->second;
}

std::variant<command_line, usage_error> parse_command_line(const std::vector<std::string>& args,
                                                           const std::vector<command_spec>& specs) {
    command_line out;
    const command_spec* spec = nullptr;
    auto error = [&](std::string message) {
        return usage_error{std::move(message), spec ? std::string(spec->name) : std::string()};
    };
    bool operands_only = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        const bool is_option = !operands_only && arg.size() > 1 && arg[0] == '-';
        if (!is_option) {
            if (!spec) {
                const auto it = std::find_if(specs.begin(), specs.end(),
                                             [&](const command_spec& s) { return s.name == arg; });
                if (it == specs.end()) return error("unknown command \"" + arg + "\"");
                spec = &*it;
                out.command = arg;
            } else {
                out.operands.push_back(arg);
            }
            continue;
        }
        if (arg == "--") {
            operands_only = true;
            continue;
        }
        if (arg == "--help" || arg == "-h") {
            out.help = true;
            continue;
        }
        if (arg == "--version" && !spec) {
            out.version = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) return error("unknown option \"" + arg + "\"");
        const auto equals = arg.find('=');
        const std::string name = arg.substr(2, equals == std::string::npos ? arg.npos : equals - 2);
        if (name == "api-key")
            return error(
                "the API key is never given on the command line (it would show in `ps`): set "
                "OPTGATE_API_KEY or use --api-key-file FILE");
        const option_spec* option = find_option(name, spec);
        if (!option)
            return error("unknown option --" + name +
                         (spec ? " for " + std::string(spec->name) : std::string()));
        if (option->kind == option_kind::flag) {
            if (equals != std::string::npos) return error("--" + name + " takes no value");
            out.flags.insert(name);
            continue;
        }
        std::string value;
        if (equals != std::string::npos) {
            value = arg.substr(equals + 1);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return error("--" + name + " needs a value");
        }
        auto& slot = out.values[name];
        if (option->kind == option_kind::value && !slot.empty())
            return error("--" + name + " is given twice");
        slot.push_back(std::move(value));
    }
    if (out.help || out.version) return out;
    if (!spec) return error("no command given");
    if (out.operands.size() < spec->min_operands || out.operands.size() > spec->max_operands)
        return error("wrong number of operands; usage: optgatectl " + std::string(spec->synopsis));
    return out;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        auto item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace optgate::ctl
