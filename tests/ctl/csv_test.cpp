// The CSV reader of optgatectl import: RFC 4180 as student information systems export it
// (quoted fields with commas, quotes and line breaks, CRLF, a BOM), record by record with the
// line each starts on, and malformed records reported without losing the rest of the file;
// what optgate writes (core/csv_field.hpp) reads back the same.
#include "ctl/csv.hpp"

#include <gtest/gtest.h>

#include "core/csv_field.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace optgate::ctl {
namespace {

std::vector<csv_record> read_all(const std::string& text) {
    std::istringstream in(text);
    csv_reader reader(in);
    std::vector<csv_record> out;
    while (auto r = reader.next()) out.push_back(std::move(*r));
    return out;
}

using fields = std::vector<std::string>;

TEST(CsvReader, ReadsPlainRecordsWithLfOrCrlf) {
    const auto records = read_all("a,b,c\r\n1,2,3\n4,,6");
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].fields, (fields{"a", "b", "c"}));
    EXPECT_EQ(records[1].fields, (fields{"1", "2", "3"}));
    EXPECT_EQ(records[2].fields, (fields{"4", "", "6"}));
    EXPECT_EQ(records[2].line, 3u);
    for (const auto& r : records) EXPECT_EQ(r.error, "");
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
    const auto records = read_all(
        "name,note\r\n\"Doe, Jane\",\"said \"\"yes\"\"\"\r\n\"two\r\nlines\",x\r\nlast,y\r\n");
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[1].fields, (fields{"Doe, Jane", "said \"yes\""}));
    EXPECT_EQ(records[2].fields, (fields{"two\r\nlines", "x"}));
    // The record after a quoted line break is on the line after it.
    EXPECT_EQ(records[2].line, 3u);
    EXPECT_EQ(records[3].line, 5u);
}

TEST(CsvReader, EmptyAndTrailingFieldsAreKept) {
    const auto records = read_all("a,,\n\"\",b\n");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields, (fields{"a", "", ""}));
    EXPECT_EQ(records[1].fields, (fields{"", "b"}));
}

TEST(CsvReader, SkipsAByteOrderMarkAndBlankLines) {
    const auto records = read_all("\xEF\xBB\xBFPhone\r\n\r\n+16515550100\n\n\n6515550101\n");
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].fields, (fields{"Phone"}));
    EXPECT_EQ(records[1].line, 3u);
    EXPECT_EQ(records[2].fields, (fields{"6515550101"}));
    EXPECT_EQ(records[2].line, 6u);
}

TEST(CsvReader, AQuoteInsideAnUnquotedFieldIsACharacter) {
    const auto records = read_all("5'6\" tall,b\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (fields{"5'6\" tall", "b"}));
    EXPECT_EQ(records[0].error, "");
}

TEST(CsvReader, TextAfterAClosingQuoteIsMalformedAndReadingGoesOnAtTheNextLine) {
    const auto records = read_all("a,b\n\"x\"y,z\nc,d\n");
    ASSERT_EQ(records.size(), 3u);
    EXPECT_NE(records[1].error, "");
    EXPECT_EQ(records[1].line, 2u);
    EXPECT_EQ(records[2].fields, (fields{"c", "d"}));
    EXPECT_EQ(records[2].line, 3u);
}

TEST(CsvReader, AQuoteLeftOpenAtTheEndIsMalformed) {
    const auto records = read_all("a,b\nc,\"never closed\nd,e\n");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].line, 2u);
    EXPECT_NE(records[1].error, "");
}

TEST(CsvReader, EmptyInputHasNoRecords) {
    EXPECT_TRUE(read_all("").empty());
    EXPECT_TRUE(read_all("\r\n\n").empty());
}

TEST(CsvReader, ReadsBackWhatOptgateWrites) {
    const fields original{"Doe, Jane", "said \"yes\"", "a\r\nb", "", "x"};
    std::string line;
    for (std::size_t i = 0; i < original.size(); ++i) {
        if (i) line.push_back(',');
        append_csv_field(line, original[i]);
    }
    const auto records = read_all(line + "\r\n");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, original);
}

}  // namespace
}  // namespace optgate::ctl
