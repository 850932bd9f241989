// Administration of consent records in process: PUT /v1/consent/{address} as the district
// office and as the nightly import, GET of a record and its history, and the audit trail's
// filters (SPEC: rules of consent 2, 3 and 7; HTTP interface).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "core/timestamp.hpp"
#include "tests/support/admin_changes.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/sms_webhook.hpp"
#include "tests/unit/http/route_harness.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";
constexpr const char* family_path = "%2B16515550100";

class AdminConsent : public ::testing::Test {
  protected:
    route_harness api;
};

TEST_F(AdminConsent, OlderChangeIsSupersededAuditedAndChangesNothing) {
    expect_outcome(put_consent(api, family_path,
                               change(R"("state":"opted_out","source":"office",)"
                                      R"("at":"2026-02-01T12:00:00Z","request_id":"new")")),
                   "applied", nullptr, "new");
    expect_outcome(put_consent(api, family_path,
                               change(R"("state":"opted_in","source":"office",)"
                                      R"("at":"2026-02-01T11:59:59.999Z","request_id":"old")")),
                   "superseded", "opted_out", "old");
    const auto result = check_one(api, family);
    EXPECT_EQ(text_of(result, "state"), "opted_out");
    EXPECT_EQ(text_of(result, "since"), "2026-02-01T12:00:00.000Z");
    const auto history = history_of(api, family_path);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(text_of(history[0].as_object(), "outcome"), "superseded");
    EXPECT_EQ(text_of(history[0].as_object(), "from"), "opted_out");
    EXPECT_EQ(text_of(history[0].as_object(), "to"), "opted_in");
    EXPECT_EQ(audit_entries(api).size(), 2u);
}

TEST_F(AdminConsent, ImportNeverReOptsInButTheFamilyDoes) {
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    // Rule 7: the nightly import cannot undo the family's STOP, whatever its time.
    expect_outcome(
        put_consent(api, family_path,
                    change(R"("state":"opted_in","source":"import","request_id":"row-1")")),
        "refused", "opted_out", "row-1");
    const auto still_out = check_one(api, family);
    EXPECT_EQ(text_of(still_out, "state"), "opted_out");
    EXPECT_EQ(text_of(still_out, "source"), "twilio-sms");
    const auto history = history_of(api, family_path);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(text_of(history[0].as_object(), "outcome"), "refused");
    EXPECT_EQ(text_of(history[0].as_object(), "source"), "import");

    // The import may opt out an address that has no record...
    const std::string other = "+16515550101";
    expect_outcome(
        put_consent(api, "%2B16515550101",
                    change(R"("state":"opted_out","source":"import","request_id":"row-2")")),
        "applied", nullptr, "row-2");
    const auto imported = check_one(api, other);
    EXPECT_EQ(text_of(imported, "reason"), "opted_out");
    EXPECT_EQ(text_of(imported, "source"), "import");
    // ...and the family's own START re-opts it in.
    ASSERT_EQ(send_sms(api, other, district_code, "START", message_sid(2)).status, 200);
    const auto back = check_one(api, other);
    EXPECT_EQ(value_of(back, "allowed"), json::value(true));
    EXPECT_EQ(text_of(back, "reason"), "opted_in");
    EXPECT_EQ(text_of(back, "source"), "twilio-sms");
}

TEST_F(AdminConsent, SameRequestIdTwiceIsADuplicateAuditedOnce) {
    const auto body = change(R"("state":"opted_out","source":"office","request_id":"req-1")");
    expect_outcome(put_consent(api, family_path, body), "applied", nullptr, "req-1");
    expect_outcome(put_consent(api, family_path, body), "duplicate", nullptr, "req-1");
    EXPECT_EQ(history_of(api, family_path).size(), 1u);

    // The Idempotency-Key header is the request id when the body has none.
    auto call = api_call("PUT", "/v1/consent/%2B16515550101", test_api_key,
                         change(R"("state":"opted_out","source":"office")"));
    call.headers["Idempotency-Key"] = "idem-1";
    expect_outcome(api.request(call), "applied", nullptr, "idem-1");
    expect_outcome(api.request(call), "duplicate", nullptr, "idem-1");
    EXPECT_EQ(history_of(api, "%2B16515550101").size(), 1u);
    EXPECT_EQ(audit_entries(api).size(), 2u);
}

TEST_F(AdminConsent, InvalidChangesAreRefusedAndChangeNothing) {
    const auto valid = change(R"("state":"opted_out","source":"office")");
    EXPECT_TRUE(is_error(put_consent(api, "not-a-number", valid), 400, "invalid_address"));
    EXPECT_TRUE(is_error(put_consent(api, "555", valid), 400, "invalid_address"));
    const auto tomorrow = format_rfc3339(api.now + 24 * 3600 * 1000);
    for (const auto& body : {
             change(R"("state":"opted_out","source":"office","at":")" + tomorrow + "\""),
             change(R"("state":"opted_out","source":"office","colour":"blue")"),
             change(R"("state":"maybe","source":"office")"),
             change(R"("state":"opted_out")"),
             change(R"("state":"opted_out","source":"The Office")"),
             change(R"("state":"opted_out","source":"office","at":"2026-01-05T10:00:00")"),
             change(R"("state":"opted_out","source":"office","request_id":7)"),
             std::string(R"({"channel":"email","program":"district","state":"opted_out",)"
                         R"("source":"office"})"),
             std::string(R"({"channel":"sms","program":"sports","state":"opted_out",)"
                         R"("source":"office"})"),
             std::string("not json"),
         })
        EXPECT_TRUE(is_error(put_consent(api, family_path, body), 400, "malformed_request"))
            << body;
    auto wrong_type =
        api_call("PUT", "/v1/consent/" + std::string(family_path), test_api_key, valid);
    wrong_type.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(api.request(wrong_type), 415, "unsupported_media_type"));

    EXPECT_EQ(text_of(check_one(api, family), "reason"), "default");
    EXPECT_TRUE(audit_entries(api).empty());
}

TEST_F(AdminConsent, EmailAddressOnTheEmailChannel) {
    expect_outcome(put_consent(api, "Jane%40Example.org",
                               R"({"channel":"email","program":"district","state":"opted_out",)"
                               R"("source":"office","request_id":"mail-1"})"),
                   "applied", nullptr, "mail-1");
    const auto email = check_one(api, "jane@example.org", "district", "email");
    EXPECT_EQ(text_of(email, "reason"), "opted_out");
    const auto consent = consent_of(api, "jane@example.org");
    EXPECT_EQ(text_of(consent, "address"), "jane@example.org");
    ASSERT_TRUE(value_of(consent, "records").is_array());
    ASSERT_EQ(consent.at("records").as_array().size(), 1u);
    EXPECT_EQ(text_of(consent.at("records").as_array()[0].as_object(), "channel"), "email");
}

TEST_F(AdminConsent, AddressInThePathIsDecodedAndNormalised) {
    expect_outcome(put_consent(api, "%2b16515550100",
                               change(R"("state":"opted_out","source":"office","request_id":"r")")),
                   "applied", nullptr, "r");
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
    // A literal "+" in a path is a plus, not a space; national forms name the same address.
    for (const char* path : {"%2B16515550100", "+16515550100", "6515550100", "(651)%20555-0100"}) {
        const auto consent = consent_of(api, path);
        EXPECT_EQ(text_of(consent, "address"), family) << path;
        ASSERT_TRUE(value_of(consent, "records").is_array()) << path;
        EXPECT_EQ(consent.at("records").as_array().size(), 1u) << path;
    }
}

TEST_F(AdminConsent, AuditIsFilteredByReceiptTimeAndRefusesUnknownParameters) {
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    // The audit does not wait for acknowledged events to reach Redis; a check does.
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
    const auto all = audit_entries(api);
    ASSERT_EQ(all.size(), 1u);
    const auto received = text_of(all[0], "received_time");
    ASSERT_TRUE(parse_rfc3339(received)) << received;
    auto audit = [&](const std::string& query) {
        return api.request(api_call("GET", "/v1/audit?" + query, test_api_key));
    };
    const auto exact = audit("since=" + received + "&until=" + received);
    EXPECT_EQ(exact.status, 200);
    EXPECT_EQ(std::count(exact.body.begin(), exact.body.end(), '\n'), 1) << exact.body;
    const auto later = format_rfc3339(*parse_rfc3339(received) + 1);
    const auto none = audit("since=" + later);
    EXPECT_EQ(none.status, 200);
    EXPECT_EQ(none.body, "");
    EXPECT_EQ(audit("until=2000-01-01T00:00:00%2B01:00").body, "");

    EXPECT_TRUE(is_error(audit("format=xml"), 400, "malformed_request"));
    EXPECT_TRUE(is_error(audit("since=yesterday"), 400, "malformed_request"));
    EXPECT_TRUE(is_error(audit("address=%2B16515550100"), 400, "malformed_request"));
    EXPECT_TRUE(is_error(audit("since=" + later + "&until=" + received), 400, "malformed_request"));
}

// An entry another instance stored while its clock was ahead of this one's is in the trail
// too: without `until`, the audit has no end (not "now" by this instance's clock).
TEST_F(AdminConsent, AuditWithoutUntilHoldsEntriesReceivedAheadOfThisClock) {
    const epoch_ms right = api.now;
    api.now += 10 * 60 * 1000;  // as an instance ten minutes ahead receives it
    ASSERT_EQ(send_sms(api, family, district_code, "STOP", message_sid(1)).status, 200);
    EXPECT_EQ(text_of(check_one(api, family), "reason"), "opted_out");
    api.now = right;
    const auto all = audit_entries(api);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(text_of(all[0], "keyword"), "STOP");
}

}  // namespace
}  // namespace optgate::testing
