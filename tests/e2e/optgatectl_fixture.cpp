#include "tests/e2e/optgatectl_fixture.hpp"

#include <fstream>

namespace optgate::testing {

command_result optgatectl_test::ctl(const daemon_process& daemon, std::vector<std::string> args,
                                    command_options options, const std::string& api_key) {
    args.insert(args.begin(), "--url=http://127.0.0.1:" + std::to_string(daemon.port()));
    options.env.try_emplace("OPTGATE_API_KEY", api_key);
    return ctl_alone(std::move(args), std::move(options));
}

command_result optgatectl_test::ctl_alone(std::vector<std::string> args, command_options options) {
    args.insert(args.begin(), optgatectl_path());
    options.env.try_emplace("OPTGATE_API_KEY", std::nullopt);
    options.env.try_emplace("OPTGATE_URL", std::nullopt);
    return run_command(std::move(args), options);
}

std::filesystem::path optgatectl_test::write_file(const std::string& name,
                                                  const std::string& text) const {
    const auto path = files_.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t begin = 0;
    while (begin < text.size()) {
        auto end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(begin, end - begin);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(std::move(line));
        begin = end + 1;
    }
    return out;
}

}  // namespace optgate::testing
