// Administration of consent records: PUT /v1/consent/{address} as the district office and as
// the nightly import, GET of a record and its history, and the audit trail's filters
// (SPEC: rules of consent 2, 3 and 7; HTTP interface).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <string>

#include "core/timestamp.hpp"
#include "tests/e2e/e2e_fixture.hpp"

namespace optgate::testing {
namespace {

constexpr const char* family = "+16515550100";
constexpr const char* family_path = "%2B16515550100";

http_result put_consent(const daemon_process& daemon, const std::string& address_in_path,
                        const std::string& body) {
    return daemon.request(api_call("PUT", "/v1/consent/" + address_in_path, test_api_key, body));
}

// {"channel":"sms","program":"district", ...fields}
std::string change(const std::string& fields) {
    return R"({"channel":"sms","program":"district",)" + fields + "}";
}

// The PUT's reply: its outcome, the record's state before it (`from`, nullptr for no record;
// for a duplicate, before its first delivery) and its request id.
void expect_outcome(const http_result& result, const std::string& outcome, const char* from,
                    const std::string& request_id) {
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(header_of(result, "content-type"), "application/json");
    const json::value from_value = from ? json::value(from) : json::value(nullptr);
    EXPECT_EQ(
        parse_json(result.body),
        (json::object{{"outcome", outcome}, {"from", from_value}, {"request_id", request_id}}));
}

json::array history_of(const daemon_process& daemon, const std::string& address_in_path) {
    const auto consent = consent_of(daemon, address_in_path);
    const auto* history = consent.if_contains("history");
    if (!history || !history->is_array()) {
        ADD_FAILURE() << "no history: " << json::serialize(consent);
        return {};
    }
    return history->as_array();
}

class AdminConsent : public e2e_test {};

TEST_F(AdminConsent, ChangeIsAppliedAndShownWithItsHistoryNewestFirst) {
    const auto daemon = start_daemon();
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_out","source":"office",)"
                                      R"("at":"2026-01-05T10:00:00Z","request_id":"req-1")")),
                   "applied", nullptr, "req-1");
    const auto out = check_one(*daemon, family);
    EXPECT_EQ(text_of(out, "reason"), "opted_out");
    EXPECT_EQ(text_of(out, "since"), "2026-01-05T10:00:00.000Z");
    EXPECT_EQ(text_of(out, "source"), "office");

    // An admin change that says so re-opts in (only an import may not).
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_in","source":"office",)"
                                      R"("at":"2026-01-06T10:00:00+01:00","request_id":"req-2")")),
                   "applied", "opted_out", "req-2");
    const auto consent = consent_of(*daemon, family_path);
    EXPECT_EQ(text_of(consent, "address"), family);
    EXPECT_EQ(value_of(consent, "records"), json::parse(R"([{"channel":"sms","program":"district",
        "state":"opted_in","since":"2026-01-06T09:00:00.000Z","source":"office",
        "reference":"req-2"}])"));
    const auto history = history_of(*daemon, family_path);
    ASSERT_EQ(history.size(), 2u);
    const auto& newest = history[0].as_object();
    EXPECT_EQ(text_of(newest, "reference"), "req-2");
    EXPECT_EQ(text_of(newest, "from"), "opted_out");
    EXPECT_EQ(text_of(newest, "to"), "opted_in");
    EXPECT_EQ(text_of(newest, "outcome"), "applied");
    EXPECT_EQ(text_of(newest, "event_time"), "2026-01-06T09:00:00.000Z");
    EXPECT_EQ(text_of(newest, "source"), "office");
    EXPECT_EQ(text_of(newest, "actor"), "office");  // the API key's name
    const auto& oldest = history[1].as_object();
    EXPECT_EQ(text_of(oldest, "reference"), "req-1");
    EXPECT_TRUE(value_of(oldest, "from").is_null());
    EXPECT_EQ(text_of(oldest, "to"), "opted_out");
}

TEST_F(AdminConsent, OlderChangeIsSupersededAuditedAndChangesNothing) {
    const auto daemon = start_daemon();
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_out","source":"office",)"
                                      R"("at":"2026-02-01T12:00:00Z","request_id":"new")")),
                   "applied", nullptr, "new");
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_in","source":"office",)"
                                      R"("at":"2026-02-01T11:59:59.999Z","request_id":"old")")),
                   "superseded", "opted_out", "old");
    const auto result = check_one(*daemon, family);
    EXPECT_EQ(text_of(result, "state"), "opted_out");
    EXPECT_EQ(text_of(result, "since"), "2026-02-01T12:00:00.000Z");
    const auto history = history_of(*daemon, family_path);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(text_of(history[0].as_object(), "outcome"), "superseded");
    EXPECT_EQ(text_of(history[0].as_object(), "from"), "opted_out");
    EXPECT_EQ(text_of(history[0].as_object(), "to"), "opted_in");
    EXPECT_EQ(audit_entries(*daemon).size(), 2u);
}

TEST_F(AdminConsent, ImportNeverReOptsInButTheFamilyDoes) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    // Rule 7: the nightly import cannot undo the family's STOP, whatever its time.
    expect_outcome(
        put_consent(*daemon, family_path,
                    change(R"("state":"opted_in","source":"import","request_id":"row-1")")),
        "refused", "opted_out", "row-1");
    const auto still_out = check_one(*daemon, family);
    EXPECT_EQ(text_of(still_out, "state"), "opted_out");
    EXPECT_EQ(text_of(still_out, "source"), "twilio-sms");
    const auto history = history_of(*daemon, family_path);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(text_of(history[0].as_object(), "outcome"), "refused");
    EXPECT_EQ(text_of(history[0].as_object(), "source"), "import");

    // The import may opt out an address that has no record...
    const std::string other = "+16515550101";
    expect_outcome(
        put_consent(*daemon, "%2B16515550101",
                    change(R"("state":"opted_out","source":"import","request_id":"row-2")")),
        "applied", nullptr, "row-2");
    const auto imported = check_one(*daemon, other);
    EXPECT_EQ(text_of(imported, "reason"), "opted_out");
    EXPECT_EQ(text_of(imported, "source"), "import");
    // ...and the family's own START re-opts it in.
    ASSERT_EQ(send_sms(*daemon, other, district_code, "START", message_sid(2)).status, 200);
    const auto back = check_one(*daemon, other);
    EXPECT_EQ(value_of(back, "allowed"), json::value(true));
    EXPECT_EQ(text_of(back, "reason"), "opted_in");
    EXPECT_EQ(text_of(back, "source"), "twilio-sms");
}

// SPEC rule 2: an operator's clock minutes ahead must not lock the record against the family's
// STOP that arrives a moment later (the STOP was audited "superseded", and the check allowed).
TEST_F(AdminConsent, AnOptInDatedAheadOfTheClockDoesNotOutrankALaterStop) {
    const auto daemon = start_daemon();
    const epoch_ms ahead = now_ms() + 4 * 60 * 1000;
    expect_outcome(put_consent(*daemon, family_path,
                               change(R"("state":"opted_in","source":"office","at":")" +
                                      format_rfc3339(ahead) + R"(","request_id":"ahead")")),
                   "applied", nullptr, "ahead");
    EXPECT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);

    const auto result = check_one(*daemon, family);
    EXPECT_EQ(value_of(result, "allowed"), json::value(false));
    EXPECT_EQ(text_of(result, "reason"), "opted_out");
    const auto audit = audit_entries(*daemon);
    ASSERT_EQ(audit.size(), 2u);
    // The office's change is dated by its receipt, its own time kept beside it.
    EXPECT_EQ(text_of(audit[0], "event_time"), text_of(audit[0], "received_time"));
    EXPECT_EQ(text_of(audit[0], "stated_time"), format_rfc3339(ahead));
    EXPECT_EQ(text_of(audit[1], "outcome"), "applied");
    EXPECT_EQ(text_of(audit[1], "stated_time"), "");
}

TEST_F(AdminConsent, SameRequestIdTwiceIsADuplicateAuditedOnce) {
    const auto daemon = start_daemon();
    const auto body = change(R"("state":"opted_out","source":"office","request_id":"req-1")");
    expect_outcome(put_consent(*daemon, family_path, body), "applied", nullptr, "req-1");
    expect_outcome(put_consent(*daemon, family_path, body), "duplicate", nullptr, "req-1");
    EXPECT_EQ(history_of(*daemon, family_path).size(), 1u);

    // The Idempotency-Key header is the request id when the body has none.
    auto call = api_call("PUT", "/v1/consent/%2B16515550101", test_api_key,
                         change(R"("state":"opted_out","source":"office")"));
    call.headers["Idempotency-Key"] = "idem-1";
    expect_outcome(daemon->request(call), "applied", nullptr, "idem-1");
    expect_outcome(daemon->request(call), "duplicate", nullptr, "idem-1");
    EXPECT_EQ(history_of(*daemon, "%2B16515550101").size(), 1u);
    EXPECT_EQ(audit_entries(*daemon).size(), 2u);
}

TEST_F(AdminConsent, InvalidChangesAreRefusedAndChangeNothing) {
    const auto daemon = start_daemon();
    const auto valid = change(R"("state":"opted_out","source":"office")");
    EXPECT_TRUE(is_error(put_consent(*daemon, "not-a-number", valid), 400, "invalid_address"));
    EXPECT_TRUE(is_error(put_consent(*daemon, "555", valid), 400, "invalid_address"));
    const auto tomorrow = format_rfc3339(
        std::chrono::duration_cast<std::chrono::milliseconds>(
            (std::chrono::system_clock::now() + std::chrono::hours(24)).time_since_epoch())
            .count());
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
        EXPECT_TRUE(is_error(put_consent(*daemon, family_path, body), 400, "malformed_request"))
            << body;
    auto wrong_type =
        api_call("PUT", "/v1/consent/" + std::string(family_path), test_api_key, valid);
    wrong_type.headers["Content-Type"] = "application/x-www-form-urlencoded";
    EXPECT_TRUE(is_error(daemon->request(wrong_type), 415, "unsupported_media_type"));

    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "default");
    EXPECT_TRUE(audit_entries(*daemon).empty());
}

TEST_F(AdminConsent, EmailAddressOnTheEmailChannel) {
    const auto daemon = start_daemon();
    expect_outcome(put_consent(*daemon, "Jane%40Example.org",
                               R"({"channel":"email","program":"district","state":"opted_out",)"
                               R"("source":"office","request_id":"mail-1"})"),
                   "applied", nullptr, "mail-1");
    const auto email = check_one(*daemon, "jane@example.org", "district", "email");
    EXPECT_EQ(text_of(email, "reason"), "opted_out");
    const auto consent = consent_of(*daemon, "jane@example.org");
    EXPECT_EQ(text_of(consent, "address"), "jane@example.org");
    ASSERT_TRUE(value_of(consent, "records").is_array());
    ASSERT_EQ(consent.at("records").as_array().size(), 1u);
    EXPECT_EQ(text_of(consent.at("records").as_array()[0].as_object(), "channel"), "email");
}

TEST_F(AdminConsent, AddressInThePathIsDecodedAndNormalised) {
    const auto daemon = start_daemon();
    expect_outcome(put_consent(*daemon, "%2b16515550100",
                               change(R"("state":"opted_out","source":"office","request_id":"r")")),
                   "applied", nullptr, "r");
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    // A literal "+" in a path is a plus, not a space; national forms name the same address.
    for (const char* path : {"%2B16515550100", "+16515550100", "6515550100", "(651)%20555-0100"}) {
        const auto consent = consent_of(*daemon, path);
        EXPECT_EQ(text_of(consent, "address"), family) << path;
        ASSERT_TRUE(value_of(consent, "records").is_array()) << path;
        EXPECT_EQ(consent.at("records").as_array().size(), 1u) << path;
    }
}

TEST_F(AdminConsent, AuditIsFilteredByReceiptTimeAndRefusesUnknownParameters) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    // The audit does not wait for acknowledged events to reach Redis; a check does.
    EXPECT_EQ(text_of(check_one(*daemon, family), "reason"), "opted_out");
    const auto all = audit_entries(*daemon);
    ASSERT_EQ(all.size(), 1u);
    const auto received = text_of(all[0], "received_time");
    ASSERT_TRUE(parse_rfc3339(received)) << received;
    auto audit = [&](const std::string& query) {
        return daemon->request(api_call("GET", "/v1/audit?" + query, test_api_key));
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
}

}  // namespace
}  // namespace optgate::testing
