// Every configured webhook's delivery loop (feed.webhooks is fixed until a restart), with
// this process's id in the leases, as one monitor for /readyz and /metrics.
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "adapters/webhooks/webhook_delivery.hpp"

namespace optgate {

class webhook_deliveries : public webhook_monitor {
  public:
    // Throws std::runtime_error when a webhook's ca_file cannot be loaded.
    webhook_deliveries(boost::asio::any_io_executor executor,
                       const std::vector<webhook_settings>& webhooks, consent_reader& feed,
                       const consent_writer& store_state, webhook_ledger& ledger,
                       std::function<epoch_ms()> now,
                       std::function<void(std::chrono::milliseconds, std::function<void()>)> after);

    void start();
    // Stops every loop, gives up the leases this instance holds and ends the POSTs in flight
    // (their batches go again from the next holder); `done` is called once for all the
    // leases (see webhook_delivery::stop).
    void stop(std::function<void()> done);
    std::vector<webhook_report> reports() const override;

  private:
    std::vector<std::shared_ptr<https_poster>> posters_;
    std::vector<std::shared_ptr<webhook_delivery>> loops_;
};

// "<host name>:<pid>:<8 random hex digits>": names this process in the leases it takes.
std::string webhook_instance_id();

}  // namespace optgate
