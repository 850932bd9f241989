// What the tests of apply_event share: events and records of one family's SMS record, and
// what an application must have done.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/apply_event.hpp"

namespace optgate::apply_event_testing {

constexpr auto in = consent_state::opted_in;
constexpr auto out = consent_state::opted_out;

inline consent_event make_event(consent_state state, epoch_ms at, std::string key,
                                bool bulk_import = false) {
    consent_event e;
    e.address = "+16515550100";
    e.channel = channel::sms;
    e.program = "district";
    e.state = state;
    e.event_time = at;
    e.received_time = at + 500;
    e.source = bulk_import ? "import" : "twilio-sms";
    e.reference = "ref-" + key;
    e.dedupe_key = std::move(key);
    e.bulk_import = bulk_import;
    return e;
}

inline consent_record make_record(consent_state state, epoch_ms at,
                                  std::string source = "twilio-sms",
                                  std::string reference = "ref-old") {
    return consent_record{state, at, std::move(source), std::move(reference), ""};
}

inline consent_record record_of(const consent_event& e) {
    return consent_record{e.state, e.event_time, e.source, e.reference, e.language};
}

inline void expect_applied(const apply_result& r, const consent_event& e) {
    EXPECT_EQ(r.outcome, event_outcome::applied);
    ASSERT_TRUE(r.new_record.has_value());
    EXPECT_EQ(*r.new_record, record_of(e));
    EXPECT_TRUE(r.audited);
}

inline void expect_unchanged(const apply_result& r, event_outcome outcome, bool audited) {
    EXPECT_EQ(r.outcome, outcome);
    EXPECT_EQ(r.new_record, std::nullopt);
    EXPECT_EQ(r.audited, audited);
}

}  // namespace optgate::apply_event_testing
