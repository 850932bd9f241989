// The `voice:` section of the config: the hotline numbers, the programs a call changes, and
// what callers hear (prompts, language). Read by parse_settings after `programs:`.
#pragma once

#include "config/config_node.hpp"
#include "config/settings.hpp"

namespace optgate {

// Fills out.voice; `node` may be null (an absent section: every default applies).
void read_voice(const config_node& node, settings& out);

}  // namespace optgate
