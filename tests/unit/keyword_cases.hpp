// What the tables of SMS keyword tests share: a case (a body and what it must classify as),
// short names for the kinds and matches, the check of a table, and the UTF-8 sequences phones
// put into texts, spelled as bytes so the tables read unambiguously.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sms_keyword.hpp"

namespace optgate::keyword_testing {

struct keyword_case {
    std::string body;
    keyword_kind kind;
    keyword_match match;
    std::string keyword;  // empty for none
};

constexpr auto out = keyword_kind::opt_out;
constexpr auto all = keyword_kind::opt_out_all;
constexpr auto in = keyword_kind::opt_in;
constexpr auto help = keyword_kind::help;
constexpr auto none = keyword_kind::none;
constexpr auto exact = keyword_match::exact;
constexpr auto contained = keyword_match::contained;

inline std::string describe(const keyword_result& r) {
    return std::string(to_string(r.kind)) + "/" + std::string(to_string(r.match)) + "/" + r.keyword;
}

inline void expect_cases(const std::vector<keyword_case>& cases, const keyword_rules& rules) {
    for (const auto& c : cases) {
        SCOPED_TRACE("body " + testing::PrintToString(c.body));
        const keyword_result r = rules.classify(c.body);
        EXPECT_EQ(r.kind, c.kind) << describe(r);
        if (c.kind == none) {
            EXPECT_EQ(r.keyword, "");
            continue;
        }
        EXPECT_EQ(r.match, c.match) << describe(r);
        EXPECT_EQ(r.keyword, c.keyword) << describe(r);
    }
}

inline const std::string nbsp = "\xC2\xA0";                 // U+00A0 NO-BREAK SPACE
inline const std::string ellipsis = "\xE2\x80\xA6";         // U+2026 HORIZONTAL ELLIPSIS
inline const std::string fullwidth_bang = "\xEF\xBC\x81";   // U+FF01 FULLWIDTH EXCLAMATION MARK
inline const std::string fullwidth_query = "\xEF\xBC\x9F";  // U+FF1F FULLWIDTH QUESTION MARK
inline const std::string stop_sign = "\xF0\x9F\x9B\x91";    // U+1F6D1 OCTAGONAL SIGN

}  // namespace optgate::keyword_testing
