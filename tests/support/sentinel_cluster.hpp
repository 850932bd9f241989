// A Redis Sentinel group for tests: one master, one replica and three sentinels, each a real
// redis-server on its own free loopback port and directory, started and stopped by pid.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "adapters/redis/redis_reply.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {

class sentinel_cluster {
  public:
    static constexpr std::size_t sentinel_count = 3;

    // Starts everything and returns once the replica is in sync and every sentinel names the
    // master and knows the replica (so that a failover can start at once). Throws on failure.
    explicit sentinel_cluster(std::string master_name = "optgate-test-master");
    ~sentinel_cluster();
    sentinel_cluster(const sentinel_cluster&) = delete;
    sentinel_cluster& operator=(const sentinel_cluster&) = delete;

    const std::string& master_name() const { return master_name_; }
    std::vector<std::uint16_t> sentinel_ports() const;
    std::array<std::uint16_t, 2> data_ports() const { return {data_[0].port, data_[1].port}; }

    // The master's port as the first sentinel that answers names it; throws if none does.
    std::uint16_t master_port() const;
    // The data node that is not the master.
    std::uint16_t replica_port() const;
    // Waits until the replica's link to the master is up and it has everything the master
    // had when this was called.
    bool wait_until_replica_synced(std::chrono::milliseconds timeout = std::chrono::seconds(20));

    // SENTINEL FAILOVER on the first sentinel; returns once every sentinel names the other
    // node and that node's ROLE says master. Returns the new master's port; throws on timeout.
    std::uint16_t failover(std::chrono::milliseconds timeout = std::chrono::seconds(20));

    // Sentinels stopped keep their (rewritten) config and come back on the same ports.
    void stop_sentinels();
    void start_sentinels();  // returns once every sentinel names the master again
    // A hung sentinel: SIGSTOP keeps its port accepting connections, nothing is answered.
    void pause_sentinel(std::size_t index);
    void resume_sentinel(std::size_t index);

    // A blocking command on a fresh connection to any node (data or sentinel); throws if the
    // node does not answer within 2 s.
    static redis_reply command(std::uint16_t port, const std::vector<std::string>& args);

  private:
    struct node {
        std::uint16_t port = 0;
        std::filesystem::path dir;
        std::unique_ptr<child_process> process;
        bool paused = false;
    };

    void start_data_node(node& n, std::uint16_t replica_of);
    void start_sentinel(node& n, bool write_config);
    std::uint16_t master_port_of(const node& sentinel) const;  // 0 when it names none
    bool sentinel_knows_replica(const node& n) const;
    void stop(node& n);

    temp_dir dir_{"sentinel"};
    std::string master_name_;
    std::array<node, 2> data_;  // the first started as master, the second as its replica
    std::array<node, sentinel_count> sentinels_;
};

// The "field:value" line of an INFO reply, or "" when absent.
std::string info_field(const std::string& info, const std::string& field);

}  // namespace optgate::testing
