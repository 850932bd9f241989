#include "tests/fault/fault_fixture.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <sstream>
#include <stdexcept>

#include "tests/support/child_process.hpp"

namespace optgate::testing {

namespace {

constexpr std::size_t shown = 10;  // offenders named in a failure

}  // namespace

std::string fault_test::key_prefix() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return "fault:" + std::string(info->test_suite_name()) + "." + info->name() + ":";
}

std::string fault_test::config(const std::string& extra_yaml) const {
    return default_test_config(redis_.url(), key_prefix(), extra_yaml);
}

readiness readiness_of(const daemon_process& daemon) {
    const auto result = daemon.request(api_call("GET", "/readyz", ""));
    readiness r;
    r.status = result.status;
    if (result.status == 0) return r;
    const auto body = parse_json(result.body);
    if (body.is_object()) r.body = body.as_object();
    return r;
}

bool wait_until_caught_up(const daemon_process& daemon, std::chrono::milliseconds timeout) {
    return wait_until(
        [&] {
            const auto r = readiness_of(daemon);
            const auto* backlog = r.body.if_contains("journaled_not_applied");
            return r.status == 200 && backlog && *backlog == json::value(0);
        },
        timeout);
}

std::string sentinel_config(const sentinel_cluster& cluster, const std::string& key_prefix,
                            const std::string& extra_yaml) {
    std::string addresses;
    for (const auto port : cluster.sentinel_ports())
        addresses +=
            (addresses.empty() ? "\"127.0.0.1:" : ", \"127.0.0.1:") + std::to_string(port) + "\"";
    auto yaml =
        default_test_config("redis://" + cluster.master_name() + "/0", key_prefix, extra_yaml);
    const std::string end_of_redis = "key_prefix: \"" + key_prefix + "\" }";
    const auto at = yaml.find(end_of_redis);
    if (at == std::string::npos)
        throw std::logic_error("default_test_config changed its redis line");
    yaml.replace(at, end_of_redis.size(),
                 "key_prefix: \"" + key_prefix + "\", sentinel: { master: \"" +
                     cluster.master_name() + "\", addresses: [" + addresses + "] } }");
    return yaml;
}

std::optional<stop_load_counts> finish_load(stop_load& load, const daemon_process& daemon) {
    load.stop();
    load.join();
    if (wait_until_caught_up(daemon, std::chrono::seconds(30))) return load.counts();
    ADD_FAILURE() << "not caught up after 30 s; /readyz: " << readiness_of(daemon).status << "\n"
                  << daemon.log_text();
    return std::nullopt;
}

std::optional<std::vector<bool>> opted_out_of(const daemon_process& daemon,
                                              const std::vector<std::string>& numbers) {
    const auto result = post_check(daemon, "sms", "district", numbers);
    if (result.status != 200) return std::nullopt;
    boost::system::error_code ec;
    const auto body = json::parse(result.body, ec);
    const auto* results =
        !ec && body.is_object() ? body.as_object().if_contains("results") : nullptr;
    if (!results || !results->is_array() || results->as_array().size() != numbers.size())
        return std::nullopt;
    std::vector<bool> opted_out;
    opted_out.reserve(numbers.size());
    for (const auto& r : results->as_array()) {
        const auto* state = r.is_object() ? r.as_object().if_contains("state") : nullptr;
        opted_out.push_back(state && *state == json::value("opted_out"));
    }
    return opted_out;
}

acknowledged_verdict verify_acknowledged(const daemon_process& daemon, std::uint16_t redis_port,
                                         const std::string& key_prefix,
                                         const std::vector<std::string>& acknowledged,
                                         std::chrono::milliseconds timeout) {
    acknowledged_verdict verdict;
    verdict.acknowledged = acknowledged.size();
    if (acknowledged.empty()) return verdict;

    std::optional<std::vector<bool>> opted_out;
    const bool all_opted_out = wait_until(
        [&] {
            opted_out = opted_out_of(daemon, acknowledged);
            return opted_out &&
                   std::find(opted_out->begin(), opted_out->end(), false) == opted_out->end();
        },
        timeout);
    if (!opted_out) {
        const auto last = post_check(daemon, "sms", "district", {acknowledged.front()});
        ADD_FAILURE() << "no check of the acknowledged numbers answered 200 within "
                      << timeout.count() << " ms; the last: " << last.status << " " << last.body;
    } else {
        std::ostringstream missing;
        std::size_t missed = 0;
        for (std::size_t i = 0; i < acknowledged.size(); ++i) {
            if ((*opted_out)[i]) {
                ++verdict.opted_out;
            } else if (missed++ < shown) {
                missing << " " << acknowledged[i];
            }
        }
        EXPECT_TRUE(all_opted_out)
            << missed << " of " << acknowledged.size()
            << " acknowledged STOPs are not opted out, e.g." << missing.str();
    }

    std::vector<std::vector<std::string>> lengths;
    lengths.reserve(acknowledged.size());
    for (const auto& a : acknowledged)
        lengths.push_back({"LLEN", key_prefix + "{" + a + "}:audit"});
    const auto replies = redis_pipeline(redis_port, lengths);
    std::ostringstream wrong;
    std::size_t wrongs = 0;
    for (std::size_t i = 0; i < acknowledged.size(); ++i) {
        if (replies[i].integer == 1) {
            ++verdict.audited_once;
        } else if (wrongs++ < shown) {
            wrong << " " << acknowledged[i] << " (" << replies[i].integer << ")";
        }
    }
    EXPECT_EQ(wrongs, 0u) << wrongs << " of " << acknowledged.size()
                          << " acknowledged STOPs are not audited exactly once, e.g."
                          << wrong.str();
    return verdict;
}

}  // namespace optgate::testing
