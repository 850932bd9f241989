// The `feed:` section of the config: how long the change feed keeps a change, and the
// district's systems it is POSTed to (feed.webhooks). Read by parse_settings after
// `programs:`, which a webhook's programs must name, and `unsubscribe_links:`, whose secret a
// webhook's must not be.
#pragma once

#include <filesystem>

#include "config/config_node.hpp"
#include "config/settings.hpp"

namespace optgate {

// Fills out.feed; `node` may be null (an absent section: every default applies).
void read_feed(const config_node& node, const std::filesystem::path& base_dir, settings& out);

}  // namespace optgate
