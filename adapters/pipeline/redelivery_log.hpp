// Which journaled events were redeliveries when first applied: their dedupe key was seen, so
// another delivery of the same provider event (a retry, perhaps to another instance) had been
// applied before. A replay after Redis lost every key skips them: replayed before its first
// delivery (which may be in another instance's journal), a redelivery would be applied as
// new, dated at its own later receipt, and could outrank a STOP received in between.
//
// Kept in a text file beside the journal, one "seq index" line per event, appended (not
// synced: a line lost to a crash only lets that redelivery be replayed, as without this log).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

namespace optgate {

class redelivery_log {
  public:
    explicit redelivery_log(std::filesystem::path file);

    bool contains(std::uint64_t seq, std::size_t index) const {
        return entries_.contains({seq, index});
    }
    void add(std::uint64_t seq, std::size_t index);
    void flush() { out_.flush(); }
    // Forgets the events of records before `seq` (no longer retained by the journal).
    void forget_before(std::uint64_t seq);
    std::size_t size() const { return entries_.size(); }

  private:
    std::filesystem::path file_;
    std::set<std::pair<std::uint64_t, std::size_t>> entries_;
    std::ofstream out_;
};

}  // namespace optgate
