// The `email:` section of the config: the programs an email unsubscribe stops, and SendGrid's
// unsubscribe groups. Read by parse_settings after `programs:` and `providers:`.
#pragma once

#include "config/config_node.hpp"
#include "config/settings.hpp"

namespace optgate {

// Fills out.email; `node` may be null (an absent section: every default applies). `providers`
// is the `providers:` section, already read into out.providers: an email provider whose
// unsubscribes would change nothing refuses the config.
void read_email(const config_node& node, const config_node& providers, settings& out);

}  // namespace optgate
