// The pre-send decision of /v1/check: the program's default without a record (rule 1),
// the record's state with its time and source otherwise, and invalid addresses denied.
#include "core/check_decision.hpp"

#include <gtest/gtest.h>

namespace optgate {
namespace {

TEST(CheckDecision, NoRecordOptedInDefaultAllows) {
    const auto d = decide(std::nullopt, consent_state::opted_in);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.state, consent_state::opted_in);
    EXPECT_EQ(d.reason, check_reason::default_state);
    EXPECT_EQ(d.since, std::nullopt);
    EXPECT_EQ(d.source, "");
}

TEST(CheckDecision, NoRecordOptedOutDefaultDenies) {
    const auto d = decide(std::nullopt, consent_state::opted_out);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.state, consent_state::opted_out);
    EXPECT_EQ(d.reason, check_reason::default_state);
    EXPECT_EQ(d.since, std::nullopt);
    EXPECT_EQ(d.source, "");
}

TEST(CheckDecision, OptedInRecordAllowsWhateverTheDefault) {
    const consent_record r{consent_state::opted_in, 1795341600000, "admin", "req-1"};
    for (auto def : {consent_state::opted_in, consent_state::opted_out}) {
        const auto d = decide(r, def);
        EXPECT_TRUE(d.allowed);
        EXPECT_EQ(d.state, consent_state::opted_in);
        EXPECT_EQ(d.reason, check_reason::opted_in);
        EXPECT_EQ(d.since, 1795341600000);
        EXPECT_EQ(d.source, "admin");
    }
}

TEST(CheckDecision, OptedOutRecordDeniesWhateverTheDefault) {
    const consent_record r{consent_state::opted_out, 1795341600000, "twilio-sms", "SM1"};
    for (auto def : {consent_state::opted_in, consent_state::opted_out}) {
        const auto d = decide(r, def);
        EXPECT_FALSE(d.allowed);
        EXPECT_EQ(d.state, consent_state::opted_out);
        EXPECT_EQ(d.reason, check_reason::opted_out);
        EXPECT_EQ(d.since, 1795341600000);
        EXPECT_EQ(d.source, "twilio-sms");
    }
}

TEST(CheckDecision, InvalidAddressIsDeniedWithoutAState) {
    const auto d = invalid_address_decision();
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.state, std::nullopt);
    EXPECT_EQ(d.reason, check_reason::invalid_address);
    EXPECT_EQ(d.since, std::nullopt);
    EXPECT_EQ(d.source, "");
}

TEST(CheckDecision, ReasonWireNamesAreThoseOfSpec) {
    EXPECT_EQ(to_string(check_reason::opted_in), "opted_in");
    EXPECT_EQ(to_string(check_reason::opted_out), "opted_out");
    EXPECT_EQ(to_string(check_reason::default_state), "default");
    EXPECT_EQ(to_string(check_reason::invalid_address), "invalid_address");
}

}  // namespace
}  // namespace optgate
