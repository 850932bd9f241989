// What the apply script stores in Redis today for two fixed events: the record JSON and the
// audit entry JSON, checked in. Redis already holds such values; never regenerate them to make
// a test pass. cjson does not promise an order of keys: compare them as JSON objects.
#pragma once

#include <string_view>

#include "core/consent.hpp"

namespace optgate::testing {

inline constexpr epoch_ms golden_t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// A texted STOP, the first event of its record.
inline consent_event golden_stop_event() {
    consent_event e;
    e.address = "+16515550100";
    e.channel = channel::sms;
    e.program = "district";
    e.state = consent_state::opted_out;
    e.event_time = golden_t0;
    e.received_time = golden_t0 + 500;
    e.source = "twilio-sms";
    e.reference = "SM0001";
    e.dedupe_key = "twilio-sms/SM0001";
    e.keyword = "Stop please";
    e.match = "contained";
    return e;
}

// The office's START after it, stating a time an hour after its receipt (a clock ahead of
// optgate's): dated by the receipt, with the stated time kept in the audit.
inline consent_event golden_start_event() {
    consent_event e;
    e.address = "+16515550100";
    e.channel = channel::sms;
    e.program = "district";
    e.state = consent_state::opted_in;
    e.event_time = golden_t0 + 3'600'000;
    e.received_time = golden_t0 + 60'000;
    e.source = "admin";
    e.reference = "call-4711";
    e.dedupe_key = "admin/call-4711";
    e.actor = "office-key";
    return e;
}

// As Redis 7's cjson wrote them (its key order, and "/" escaped as "\/").
inline constexpr std::string_view golden_record_after_stop_json =
    R"({"state":"opted_out","ref":"SM0001","source":"twilio-sms","at":1767225600000})";
inline constexpr std::string_view golden_stop_audit_json =
    R"({"received":1767225600500,"actor":"","program":"district",)"
    R"("dedupe":"twilio-sms\/SM0001","keyword":"Stop please","match":"contained",)"
    R"("at":1767225600000,"to":"opted_out","outcome":"applied","address":"+16515550100",)"
    R"("source":"twilio-sms","ref":"SM0001","from":null,"channel":"sms"})";
// The STOP applied again by a journal's replay after Redis lost everything: the record names
// the journal (golden_replaying_journal).
inline constexpr std::string_view golden_replaying_journal = "0123456789abcdef";
inline constexpr std::string_view golden_record_after_replayed_stop_json =
    R"({"state":"opted_out","ref":"SM0001","source":"twilio-sms","at":1767225600000,)"
    R"("by":"0123456789abcdef"})";
inline constexpr std::string_view golden_record_after_start_json =
    R"({"state":"opted_in","ref":"call-4711","source":"admin","at":1767225660000})";
inline constexpr std::string_view golden_start_audit_json =
    R"({"received":1767225660000,"actor":"office-key","program":"district",)"
    R"("stated":1767229200000,"dedupe":"admin\/call-4711","keyword":"","match":"",)"
    R"("at":1767225660000,"to":"opted_in","outcome":"applied","address":"+16515550100",)"
    R"("source":"admin","ref":"call-4711","from":"opted_out","channel":"sms"})";

}  // namespace optgate::testing
