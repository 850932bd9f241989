// Sends an import plan to the daemon: one PUT /v1/consent/{address} per change, with
// source "import" (rule 7 applies), over several keep-alive connections at once (one worker
// thread each) so that the daemon's journal syncs many changes together (group commit).
// Stops at the first refusal that would refuse every row (a wrong key, an unknown program,
// an unreachable daemon, a journal that cannot be written).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ctl/daemon_access.hpp"
#include "ctl/import_plan.hpp"

namespace optgate::ctl {

// What the daemon answered, by outcome (SPEC: applied, duplicate, superseded, refused;
// pending when it was journaled but Redis did not apply it in time). An applied change is
// told apart by the state the record had before it: none (created), another (changed: the
// import opted it out), the same (unchanged).
struct import_tally {
    std::atomic<std::size_t> sent{0}, created{0}, changed{0}, unchanged{0}, duplicate{0},
        superseded{0}, refused{0}, pending{0};
    std::mutex rejected_mutex;
    std::vector<std::pair<std::size_t, std::string>> rejected;  // line, why (the daemon said)
};

class import_sender {
  public:
    import_sender(const daemon_access& access, const import_plan& plan, std::string file_digest,
                  unsigned connections);

    // Runs to the end, or to the first fatal refusal (printed). Calls `on_progress(sent)`
    // from the calling thread about ten times a second. Returns exit_ok or the refusal's
    // exit status.
    int run(const std::function<void(std::size_t sent)>& on_progress);

    import_tally& tally() { return tally_; }

  private:
    void work();
    // Sends the changes of one address; false after a fatal refusal.
    bool send_changes(api_connection& connection, const import_address& who);
    // An applied change, by the state its record had before (`from`, "" for none).
    void count_applied(std::string_view from, std::string_view to);

    const daemon_access& access_;
    const import_plan& plan_;
    std::string file_digest_;
    unsigned connections_;
    std::atomic<std::size_t> next_{0};
    std::atomic<bool> stopping_{false};
    std::mutex fatal_mutex_;
    int fatal_status_ = 0;
    import_tally tally_;
};

}  // namespace optgate::ctl
