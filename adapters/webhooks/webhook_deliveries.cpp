#include "adapters/webhooks/webhook_deliveries.hpp"

#include <unistd.h>

#include <atomic>
#include <random>

#include "core/digest.hpp"

namespace optgate {

std::string webhook_instance_id() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    std::random_device random;
    std::string nonce(4, '\0');
    for (auto& c : nonce) c = static_cast<char>(random());
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + to_hex(nonce);
}

webhook_deliveries::webhook_deliveries(
    boost::asio::any_io_executor executor, const std::vector<webhook_settings>& webhooks,
    consent_reader& feed, const consent_writer& store_state, webhook_ledger& ledger,
    std::function<epoch_ms()> now,
    std::function<void(std::chrono::milliseconds, std::function<void()>)> after) {
    const std::string instance = webhook_instance_id();
    for (const auto& hook : webhooks) {
        auto poster = std::make_shared<https_poster>(executor, hook.ca_file);
        webhook_timing timing;
        timing.retry.most = hook.max_retry_wait;
        // A POST that outlasts the lease would let a second instance send the same batch.
        timing.lease = std::max(
            timing.lease, 2 * std::chrono::milliseconds(hook.timeout) + std::chrono::seconds(5));
        webhook_delivery_parts parts{feed,
                                     ledger,
                                     [poster](https_request request, https_poster::handler done) {
                                         poster->post(std::move(request), std::move(done));
                                     },
                                     after,
                                     now,
                                     instance};
        parts.answering = [&store_state] { return store_state.answering(); };
        posters_.push_back(std::move(poster));
        loops_.push_back(std::make_shared<webhook_delivery>(hook, std::move(parts), timing));
    }
}

void webhook_deliveries::start() {
    for (const auto& loop : loops_) loop->start();
}

void webhook_deliveries::stop(std::function<void()> done) {
    if (loops_.empty()) return done();
    auto left = std::make_shared<std::atomic<std::size_t>>(loops_.size());
    auto last = std::make_shared<std::function<void()>>(std::move(done));
    for (const auto& loop : loops_)
        loop->stop([left, last] {
            if (--*left == 0) (*last)();
        });
    // After the loops: a POST cut short is neither a failure nor a delivery to them.
    for (const auto& poster : posters_) poster->stop();
}

std::vector<webhook_report> webhook_deliveries::reports() const {
    std::vector<webhook_report> out;
    for (const auto& loop : loops_) out.push_back(loop->report());
    return out;
}

}  // namespace optgate
