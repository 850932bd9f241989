// What a reload (SIGHUP) may change in a running daemon: keys, replies, keywords, programs,
// providers, log level. Where it listens, its Redis and its journal only change on a restart.
#pragma once

#include <string>
#include <vector>

#include "config/settings.hpp"

namespace optgate {

struct reloaded_settings {
    settings next;                                // what the daemon runs with from now on
    std::vector<std::string> kept_until_restart;  // options that changed but cannot change live
};

reloaded_settings apply_reload(const settings& running, settings reloaded);

}  // namespace optgate
