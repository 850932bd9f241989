// What optgatectl import sends, decided before it sends anything: columns found by name,
// phones and emails normalised, states mapped, contradictions resolved toward opted_out,
// bad rows told apart with a reason, and request ids that make a re-run of the same file
// a duplicate.
#include "ctl/import_plan.hpp"

#include <gtest/gtest.h>

namespace optgate::ctl {
namespace {

csv_record record(std::size_t line, std::vector<std::string> fields) {
    return {line, std::move(fields), {}};
}

const csv_record header = record(1, {"Student", "Mobile", "Home Phone", "Email", "Consent"});

import_mapping mapping() {
    import_mapping m;
    m.phone_columns = {"mobile", " HOME PHONE "};  // names match ignoring case and spaces
    m.email_columns = {"Email"};
    m.state_column = "Consent";
    m.programs = {"district", "emergency"};
    return m;
}

import_plan plan_of(import_mapping m = mapping()) {
    std::string problem;
    auto plan = import_plan::from_header(header, std::move(m), problem);
    if (!plan) throw std::runtime_error(problem);
    return std::move(*plan);
}

TEST(ImportPlan, EveryAddressOfARowIsNormalisedWithTheRowsState) {
    auto plan = plan_of();
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "(651) 555-0100", "", "Jane@Example.org", "Y"})), "");
    EXPECT_EQ(plan.add_row(record(3, {"Bo", "651-555-0101", "1 651 555 0102", "", "no"})), "");
    ASSERT_EQ(plan.addresses().size(), 4u);
    EXPECT_EQ(plan.addresses()[0].value, "+16515550100");
    EXPECT_EQ(plan.addresses()[0].state, consent_state::opted_in);
    EXPECT_EQ(plan.addresses()[1].value, "jane@example.org");
    EXPECT_EQ(plan.addresses()[1].kind, address_kind::email);
    EXPECT_EQ(plan.addresses()[2].state, consent_state::opted_out);
    EXPECT_EQ(plan.addresses()[3].value, "+16515550102");
    EXPECT_EQ(plan.addresses()[3].line, 3u);
    // Phones: sms and voice for two programs; the email: email for two programs.
    EXPECT_EQ(plan.change_count(), 3 * 4 + 2u);
}

TEST(ImportPlan, MissingOrRepeatedColumnsAreRefusedBeforeAnyRow) {
    std::string problem;
    auto m = mapping();
    m.phone_columns = {"Cell"};
    EXPECT_FALSE(import_plan::from_header(header, m, problem));
    EXPECT_EQ(problem, "the header has no column \"Cell\"");
    import_mapping phone_only;
    phone_only.phone_columns = {"Phone"};
    phone_only.programs = {"district"};
    EXPECT_FALSE(import_plan::from_header(record(1, {"Phone", "phone"}), phone_only, problem));
    EXPECT_EQ(problem, "the header names column \"Phone\" twice");
}

TEST(ImportPlan, BadRowsSayWhyAndAddNothing) {
    auto plan = plan_of();
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "555-0100", "", "", "Y"})),
              "column \"mobile\" is not a phone number");
    EXPECT_EQ(plan.add_row(record(3, {"Bo", "6515550101", "", "not-an-email", "Y"})),
              "column \"Email\" is not an email address");
    EXPECT_EQ(plan.add_row(record(4, {"Cy", "6515550101", "", "", "maybe"})),
              "column \"Consent\": \"maybe\" is neither an opted-in nor an opted-out value");
    EXPECT_EQ(plan.add_row(record(5, {"Di", "6515550101"})), "it has 2 fields, the header has 5");
    EXPECT_EQ(plan.add_row({6, {}, "a quoted field is not closed"}),
              "a quoted field is not closed");
    EXPECT_TRUE(plan.addresses().empty());
}

TEST(ImportPlan, ARowWithoutAddressesIsCountedNotBad) {
    auto plan = plan_of();
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "", " ", "", "Y"})), "");
    EXPECT_EQ(plan.rows_without_address(), 1u);
    EXPECT_TRUE(plan.addresses().empty());
}

TEST(ImportPlan, WithoutAStateColumnAFormMeansConsent) {
    auto m = mapping();
    m.state_column.reset();
    auto plan = plan_of(m);
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "6515550100", "", "", "whatever"})), "");
    EXPECT_EQ(plan.addresses()[0].state, consent_state::opted_in);
}

TEST(ImportPlan, StateValuesAreConfigurableAndMatchIgnoringCase) {
    auto m = mapping();
    m.opted_in_values = {"Consents"};
    m.opted_out_values = {"Declines"};
    auto plan = plan_of(m);
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "6515550100", "", "", " CONSENTS "})), "");
    EXPECT_EQ(plan.add_row(record(3, {"Bo", "6515550101", "", "", "declines"})), "");
    EXPECT_NE(plan.add_row(record(4, {"Cy", "6515550102", "", "", "Y"})), "");
    EXPECT_EQ(plan.addresses()[0].state, consent_state::opted_in);
    EXPECT_EQ(plan.addresses()[1].state, consent_state::opted_out);
}

TEST(ImportPlan, AnAddressOnSeveralRowsIsOneAndOptedOutWins) {
    auto plan = plan_of();
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "6515550100", "", "", "Y"})), "");
    EXPECT_EQ(plan.add_row(record(3, {"Bo", "+1 651 555 0100", "", "", "N"})), "");
    EXPECT_EQ(plan.add_row(record(4, {"Cy", "651.555.0100", "", "", "Y"})), "");
    ASSERT_EQ(plan.addresses().size(), 1u);
    EXPECT_EQ(plan.addresses()[0].state, consent_state::opted_out);
    EXPECT_EQ(plan.addresses()[0].line, 3u);
}

TEST(ImportPlan, ChangesCoverEveryChannelAndProgram) {
    auto m = mapping();
    m.phone_channels = {channel::sms};
    auto plan = plan_of(m);
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "6515550100", "", "ann@example.org", "Y"})), "");
    const auto phone = plan.changes_of(plan.addresses()[0], "digest");
    ASSERT_EQ(phone.size(), 2u);
    EXPECT_EQ(phone[0].channel, channel::sms);
    EXPECT_EQ(phone[0].program, "district");
    EXPECT_EQ(phone[1].program, "emergency");
    const auto email = plan.changes_of(plan.addresses()[1], "digest");
    ASSERT_EQ(email.size(), 2u);
    EXPECT_EQ(email[0].channel, channel::email);
}

TEST(ImportPlan, RequestIdsAreTheSameForTheSameFileAndDifferForAnother) {
    auto plan = plan_of();
    EXPECT_EQ(plan.add_row(record(2, {"Ann", "6515550100", "", "", "Y"})), "");
    const auto& who = plan.addresses()[0];
    const auto first = plan.changes_of(who, "file-a");
    EXPECT_EQ(first[0].request_id, plan.changes_of(who, "file-a")[0].request_id);
    EXPECT_NE(first[0].request_id, plan.changes_of(who, "file-b")[0].request_id);
    EXPECT_NE(first[0].request_id, first[1].request_id);  // another channel or program
    EXPECT_EQ(first[0].request_id.rfind("import-", 0), 0u);
    EXPECT_LE(first[0].request_id.size(), 128u);
}

}  // namespace
}  // namespace optgate::ctl
