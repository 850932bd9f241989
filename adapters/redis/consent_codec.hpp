// Reading back what the apply script stores: record JSON and audit entry JSON.
#pragma once

#include <optional>
#include <string_view>

#include "core/audit_entry.hpp"
#include "core/consent.hpp"

namespace optgate {

std::optional<consent_record> parse_record_json(std::string_view json);
std::optional<audit_entry> parse_audit_json(std::string_view json);

}  // namespace optgate
