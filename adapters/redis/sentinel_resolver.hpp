// Finds the current master of a Redis Sentinel group: asks the sentinels in turn
// `SENTINEL get-master-addr-by-name <name>`, each on a short connection with a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_reply.hpp"

namespace optgate {

// The master's address in a reply to SENTINEL get-master-addr-by-name, or nullopt for any
// other reply (nil: that sentinel does not know the master; an error; a malformed reply).
std::optional<redis_address> master_address_from(const redis_reply& reply);

// Threads: lives on the strand it is given (its owner's); resolve() and cancel() are called
// on that strand, and the handler runs there.
// Lifetime: shared_ptr; a resolve in progress holds it. Sockets and deadlines are Asio's;
// hiredis only parses the replies (its reader), so no hiredis context or fd is involved.
class sentinel_resolver : public std::enable_shared_from_this<sentinel_resolver> {
  public:
    using strand_type = boost::asio::strand<boost::asio::any_io_executor>;
    // The master's address, or nullopt when no sentinel named one or cancel() was called.
    using handler = std::function<void(std::optional<redis_address>)>;

    static std::shared_ptr<sentinel_resolver> create(strand_type strand, std::string master,
                                                     std::vector<redis_address> sentinels,
                                                     std::chrono::milliseconds per_sentinel);

    // Asks the sentinels in order until one names the master, each within `per_sentinel`;
    // the one that answered is asked first next time (as the Sentinel client guidelines
    // advise). One resolve at a time.
    void resolve(handler on_done);
    // Ends a resolve in progress at once: its handler gets nullopt.
    void cancel();

    struct query;  // one sentinel asked once

  private:
    sentinel_resolver(strand_type strand, std::string master, std::vector<redis_address> sentinels,
                      std::chrono::milliseconds per_sentinel);
    void ask(std::size_t index, std::uint64_t round);

    struct sentinel {
        redis_address address;
        bool failing = false;  // reported as failing; its recovery is reported once too
    };

    strand_type strand_;
    std::string master_;
    std::string request_;              // the command, RESP-encoded once
    std::vector<sentinel> sentinels_;  // the last one that answered first
    std::chrono::milliseconds per_sentinel_;
    handler on_done_;
    std::uint64_t round_ = 0;  // a stale query's completion is recognised by its round
    std::shared_ptr<query> current_;
};

}  // namespace optgate
