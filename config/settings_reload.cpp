#include "config/settings_reload.hpp"

namespace optgate {

reloaded_settings apply_reload(const settings& running, settings reloaded) {
    reloaded_settings out;
    auto keep = [&](auto& field, const auto& current, const char* name) {
        if (field == current) return;
        field = current;
        if (out.kept_until_restart.empty() || out.kept_until_restart.back() != name)
            out.kept_until_restart.push_back(name);
    };
    keep(reloaded.listen_host, running.listen_host, "listen");
    keep(reloaded.listen_port, running.listen_port, "listen");
    keep(reloaded.redis, running.redis, "redis");
    keep(reloaded.journal, running.journal, "journal");
    keep(reloaded.feed, running.feed, "feed");
    keep(reloaded.limits, running.limits, "limits");
    out.next = std::move(reloaded);
    return out;
}

}  // namespace optgate
