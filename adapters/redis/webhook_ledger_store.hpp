// The webhooks' shared ledger in Redis (core/webhook_ports.hpp), on the connection that
// applies events (the master): per webhook a lease key, set with PX so that it lapses on
// Redis's clock when its holder stops renewing it, and a hash of its state. Each change of
// the state is a small script that first checks the caller still holds the lease.
#pragma once

#include <memory>
#include <string>

#include "adapters/redis/consent_keys.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "core/webhook_ports.hpp"

namespace optgate {

class webhook_ledger_store : public webhook_ledger {
  public:
    webhook_ledger_store(std::shared_ptr<redis_connection> connection, std::string key_prefix,
                         std::chrono::milliseconds command_deadline = std::chrono::seconds(5));

    void claim(const std::string& webhook, const std::string& instance,
               const std::string& fingerprint, std::chrono::milliseconds lease,
               claim_handler handler) override;
    void record_delivery(const std::string& webhook, const std::string& instance,
                         const std::string& cursor, epoch_ms at, record_handler handler) override;
    void record_failure(const std::string& webhook, const std::string& instance,
                        const std::string& error, epoch_ms at, record_handler handler) override;
    void release(const std::string& webhook, const std::string& instance,
                 release_handler handler) override;
    void read_states(const std::vector<std::string>& webhooks, states_handler handler) override;

  private:
    void record(std::vector<std::string> command, record_handler handler);

    std::shared_ptr<redis_connection> connection_;
    consent_keys keys_;
    std::chrono::milliseconds command_deadline_;
};

}  // namespace optgate
