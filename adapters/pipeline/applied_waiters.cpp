#include "adapters/pipeline/applied_waiters.hpp"

#include <utility>

namespace optgate {

void applied_waiters::remember(std::uint64_t seq, std::vector<event_result> outcomes) {
    outcomes_.try_emplace(seq, std::move(outcomes));
    while (outcomes_.size() > remembered_) outcomes_.erase(outcomes_.begin());
}

std::vector<event_result> applied_waiters::outcomes(std::uint64_t seq) const {
    const auto it = outcomes_.find(seq);
    return it == outcomes_.end() ? std::vector<event_result>{} : it->second;
}

applied_waiters::ticket applied_waiters::wait(std::uint64_t seq, handler h) {
    const auto t = next_ticket_++;
    waits_.emplace(std::pair{seq, t}, std::move(h));
    record_of_.emplace(t, seq);
    return t;
}

std::optional<applied_waiters::handler> applied_waiters::cancel(ticket t) {
    const auto record = record_of_.find(t);
    if (record == record_of_.end()) return std::nullopt;
    const auto it = waits_.find({record->second, t});
    record_of_.erase(record);
    auto h = std::move(it->second);
    waits_.erase(it);
    return h;
}

void applied_waiters::resolve(std::uint64_t applied) {
    // Taken out first, called after: a handler may wait again.
    std::vector<std::pair<std::uint64_t, handler>> ready;
    while (!waits_.empty() && waits_.begin()->first.first <= applied) {
        auto node = waits_.extract(waits_.begin());
        record_of_.erase(node.key().second);
        ready.emplace_back(node.key().first, std::move(node.mapped()));
    }
    for (auto& [seq, h] : ready) h(outcomes(seq));
}

void applied_waiters::fail_all() {
    auto all = std::exchange(waits_, {});
    record_of_.clear();
    for (auto& [key, h] : all) h(std::nullopt);
}

}  // namespace optgate
