#include "tests/support/daemon_process.hpp"

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "core/digest.hpp"

namespace optgate::testing {

namespace {

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

}  // namespace

const char* optgated_path() {
    return OPTGATE_DAEMON_PATH;
}

std::string default_test_config(const std::string& redis_url, const std::string& key_prefix,
                                const std::string& extra, const std::string& extra_providers) {
    return "listen: \"127.0.0.1:0\"\n"
           "public_url: \"" +
           std::string(test_public_url) +
           "\"\n"
           "default_country: US\n"
           "redis: { url: \"" +
           redis_url + "\", key_prefix: \"" + key_prefix +
           "\" }\n"
           "journal: { dir: \"{journal_dir}\" }\n"
           "programs:\n"
           "  district: { default: opted_in }\n"
           "  emergency: { default: opted_in }\n"
           "sms:\n"
           "  short_codes: { \"60680\": district, \"54968\": emergency }\n"
           "  replies:\n"
           "    opt_out: \"Test district: no more texts. Reply START to resubscribe.\"\n"
           "    opt_in: \"Test district: texts again. Reply STOP to unsubscribe.\"\n"
           "    help: \"Test district messages. Reply STOP to unsubscribe.\"\n"
           "providers:\n"
           "  twilio: { auth_token: \"" +
           std::string(test_twilio_token) + "\" }\n" + extra_providers +
           "api_keys:\n"
           "  - { name: office, sha256: \"" +
           to_hex(sha256(test_api_key)) +
           "\", roles: [check, admin, audit] }\n"
           "  - { name: broadcast, sha256: \"" +
           to_hex(sha256(test_check_only_key)) +
           "\", roles: [check] }\n"
           "log: { level: debug }\n" +
           extra;
}

daemon_process::daemon_process(std::string config_yaml) : journal_(dir_.path() / "journal") {
    write_config(std::move(config_yaml));
    start();
}

daemon_process::daemon_process(std::string config_yaml, std::filesystem::path journal_dir)
    : journal_(std::move(journal_dir)) {
    write_config(std::move(config_yaml));
    start();
}

daemon_process::daemon_process(std::string config_yaml, skewed_clock clock)
    : journal_(dir_.path() / "journal") {
    const std::string library = OPTGATE_LIBFAKETIME_PATH;
    if (!std::filesystem::exists(library))
        throw std::runtime_error(
            "libfaketimeMT.so.1 was not found when CMake configured the build (" + library +
            "): install libfaketime (tools/install-deps), or set OPTGATE_LIBFAKETIME to it");
    const char* preloaded = std::getenv("LD_PRELOAD");
    environment_ = {"LD_PRELOAD=" + library + (preloaded ? ":" + std::string(preloaded) : ""),
                    "FAKETIME=" + std::string(clock.offset.count() < 0 ? "" : "+") +
                        std::to_string(clock.offset.count()),
                    "FAKETIME_DONT_FAKE_MONOTONIC=1"};
    write_config(std::move(config_yaml));
    start();
}

void daemon_process::write_config(std::string config_yaml) const {
    std::ofstream(dir_.path() / "optgate.yaml")
        << replace_all(std::move(config_yaml), "{journal_dir}", journal_.string());
}

daemon_process::~daemon_process() {
    stop();
}

void daemon_process::start() {
    const auto log = dir_.path() / "optgated.log";
    std::error_code ec;
    const auto offset = std::filesystem::exists(log) ? std::filesystem::file_size(log, ec) : 0;
    process_ = std::make_unique<child_process>(
        std::vector<std::string>{OPTGATE_DAEMON_PATH, "--config",
                                 (dir_.path() / "optgate.yaml").string()},
        log, environment_);
    const std::regex listening("listening on 127\\.0\\.0\\.1:([0-9]+)");
    std::smatch m;
    const bool up = wait_until(
        [&] {
            if (!process_->running()) return true;
            const std::string text = process_->log_text().substr(offset);
            if (!std::regex_search(text, m, listening)) return false;
            port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
            return true;
        },
        std::chrono::seconds(20));
    if (!up || !process_->running())
        throw std::runtime_error("optgated did not start:\n" + process_->log_text());
}

std::optional<int> daemon_process::stop() {
    if (!process_) return std::nullopt;
    auto status = process_->stop(SIGTERM, std::chrono::seconds(20));
    return status;
}

bool daemon_process::wait_until_ready(std::chrono::milliseconds timeout) const {
    return wait_until([&] { return request(api_call("GET", "/readyz", "")).status == 200; },
                      timeout);
}

void daemon_process::reload(std::string config_yaml) {
    write_config(std::move(config_yaml));
    ::kill(process_->pid(), SIGHUP);
}

void daemon_process::kill9() {
    if (process_) process_->stop(SIGKILL, std::chrono::seconds(5));
}

}  // namespace optgate::testing
