#include "ctl/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace optgate::ctl {

progress_bar::progress_bar(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled) {}

void progress_bar::update(std::size_t done) {
    if (!enabled_) return;
    constexpr int width = 30;
    const double fraction = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1;
    const int filled = static_cast<int>(fraction * width);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::string bar = std::string(filled, '#') + std::string(width - filled, '.');
    std::fprintf(stderr, "\r%s [%s] %3d%%  %zu/%zu changes  %.0f/s ", label_.c_str(), bar.c_str(),
                 static_cast<int>(fraction * 100), done, total_,
                 seconds > 0 ? static_cast<double>(done) / seconds : 0.0);
    std::fflush(stderr);
    drawn_ = true;
}

void progress_bar::finish() {
    if (drawn_) std::fputc('\n', stderr);
    drawn_ = false;
}

bool stderr_is_terminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

}  // namespace optgate::ctl
