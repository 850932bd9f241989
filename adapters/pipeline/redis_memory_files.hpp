// What data_loss_watch remembers of Redis across restarts of optgate, in its state directory
// (the journal's): this instance's id, the server Redis was last complete on, the other
// instances, and evictions not yet reviewed. Each file is written whole (a temporary file,
// fsync'd, renamed over, the directory fsync'd): a full disk or a crash leaves the previous
// file, never an empty or half-written one.
#pragma once

#include <filesystem>
#include <set>
#include <string>

#include "adapters/pipeline/redis_verdict.hpp"

namespace optgate {

class redis_memory_files {
  public:
    explicit redis_memory_files(std::filesystem::path state_dir);

    // This instance's id (16 hex digits), made and kept at the first start.
    std::string instance_id() const;
    // Everything remembered, with `instance` as this instance's id.
    redis_memory load(const std::string& instance) const;

    void save_run_id(const std::string& run_id) const;
    void save_peers(const std::set<std::string>& peers) const;
    void save_evictions(const redis_memory& memory) const;

  private:
    std::filesystem::path dir_;
};

}  // namespace optgate
