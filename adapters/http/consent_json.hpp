// How consent records and audit entries look on the API: JSON objects (and CSV rows for
// audit exports), times in RFC 3339.
#pragma once

#include <string>

#include "core/audit_entry.hpp"
#include "core/consent_ports.hpp"

namespace optgate {

void append_record_json(std::string& out, const program_record& r);
void append_audit_json(std::string& out, const audit_entry& e);
// A change of the feed: {"cursor":...,"id":...,<the audit entry's fields>}.
void append_change_json(std::string& out, const feed_change& change);

// The CSV header line and one row per entry, same columns as the JSON: every field quoted,
// none that a spreadsheet would run as a formula (core/csv_field.hpp).
std::string audit_csv_header();
void append_audit_csv(std::string& out, const audit_entry& e);

}  // namespace optgate
