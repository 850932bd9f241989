// A real redis-server for tests: its own loopback port and data directory, started and
// stopped by pid; and a small synchronous client for assertions.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "adapters/redis/redis_reply.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {

// A port that was free on 127.0.0.1 a moment ago (for servers that cannot bind port 0).
std::uint16_t free_loopback_port();

// Many commands pipelined on one fresh connection to the Redis on 127.0.0.1:`port`, their
// replies in order; throws if it does not answer them all.
std::vector<redis_reply> redis_pipeline(std::uint16_t port,
                                        const std::vector<std::vector<std::string>>& batch);

class redis_server {
  public:
    redis_server();  // starts it and waits until it answers PING
    ~redis_server();

    std::uint16_t port() const { return port_; }
    std::string url(int database = 0) const;
    void stop();  // resumes a paused server first, so that it can exit
    // Starts it again on the same port and directory (the data survives: appendonly).
    void start();
    // Stops it if it runs, deletes its data files and starts it again on the same port: a
    // Redis that lost everything (a new run id, no keys).
    void start_empty();
    // A hung server: SIGSTOP keeps its socket open and its kernel backlog accepting, but
    // nothing is answered until resume() (SIGCONT).
    pid_t pid() const { return process_ ? process_->pid() : -1; }
    void pause();
    void resume();

    // A blocking command on a fresh connection; throws if Redis does not answer.
    redis_reply command(const std::vector<std::string>& args) const;
    // Many commands pipelined on one fresh connection (redis_pipeline).
    std::vector<redis_reply> commands(const std::vector<std::vector<std::string>>& batch) const {
        return redis_pipeline(port_, batch);
    }

  private:
    temp_dir dir_{"redis"};
    std::uint16_t port_ = 0;
    std::unique_ptr<child_process> process_;
    bool paused_ = false;
};

}  // namespace optgate::testing
