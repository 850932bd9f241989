// A one-line progress display on stderr for long runs (import): "import  41%  12345/30000
// changes  1520/s", redrawn in place. Drawn only when enabled: stderr is a terminal, or
// --progress forces it (--no-progress silences it).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace optgate::ctl {

class progress_bar {
  public:
    progress_bar(std::string label, std::size_t total, bool enabled);
    void update(std::size_t done);
    // Ends the line so that what follows starts on a new one.
    void finish();

  private:
    std::string label_;
    std::size_t total_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// True when stderr is a terminal.
bool stderr_is_terminal();

}  // namespace optgate::ctl
