// One CSV field as optgate writes every CSV (the audit export, optgatectl's rows): RFC 4180
// quoting, and a field that a spreadsheet would run as a formula turned into plain text.
#pragma once

#include <string>
#include <string_view>

namespace optgate {

enum class csv_quoting {
    as_needed,  // only a field with a comma, a quote, a line break or edge spaces
    always,     // every field, even an empty one
};

// True if a spreadsheet would read `field` as a formula: it starts, after any spaces (which
// spreadsheets trim), with = + - @, a tab, CR or LF. A field that is exactly an E.164 number
// (+ and 1 to 15 digits, nothing else) is the one exception: a phone number, not a formula.
bool csv_field_runs_as_formula(std::string_view field);

// Appends `field` as one CSV field: a single quote first when it would run as a formula
// (OWASP's advice against CSV injection: a spreadsheet then shows it as text), quoted as
// `quoting` says with inner quotes doubled.
void append_csv_field(std::string& out, std::string_view field,
                      csv_quoting quoting = csv_quoting::as_needed);

}  // namespace optgate
