#include "adapters/pipeline/redelivery_log.hpp"

#include <spdlog/spdlog.h>

namespace optgate {

redelivery_log::redelivery_log(std::filesystem::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    std::uint64_t seq;
    std::size_t index;
    while (in >> seq >> index) entries_.emplace(seq, index);
    // A torn last line (a crash mid-write) is dropped with the rest of what does not parse.
    forget_before(0);
}

void redelivery_log::add(std::uint64_t seq, std::size_t index) {
    if (entries_.emplace(seq, index).second) out_ << seq << ' ' << index << '\n';
}

void redelivery_log::forget_before(std::uint64_t seq) {
    entries_.erase(entries_.begin(), entries_.lower_bound({seq, 0}));
    // Rewritten whole, then appended to.
    out_.close();
    const auto temp = file_.string() + ".tmp";
    {
        std::ofstream rewrite(temp, std::ios::trunc);
        for (const auto& [s, i] : entries_) rewrite << s << ' ' << i << '\n';
    }
    std::error_code ec;
    std::filesystem::rename(temp, file_, ec);
    if (ec) spdlog::warn("journal: cannot rewrite {}: {}", file_.string(), ec.message());
    out_.open(file_, std::ios::app);
}

}  // namespace optgate
