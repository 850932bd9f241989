// The `sms:` section of the config: short codes, the keyword languages (English and Spanish
// built in, more added by the district), their replies, and contained opt-outs. Read by
// parse_settings after `programs:` and `opt_out_scope`.
#pragma once

#include "config/config_node.hpp"
#include "config/settings.hpp"

namespace optgate {

// Fills out.sms; `node` may be null (an absent section: every default applies).
void read_sms(const config_node& node, settings& out);

}  // namespace optgate
