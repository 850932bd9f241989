// The apply script read as text, against the two definitions it must agree with: the keys of
// the JSON it stores are those core/event_wire_fields.hpp names (and consent_codec reads), and
// every ARGV[n] it reads is the argument apply_script_arguments puts at n. A key renamed or an
// argument moved on one side only fails here, without a Redis.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "adapters/redis/apply_script.hpp"
#include "adapters/redis/apply_script_arguments.hpp"
#include "core/event_wire_fields.hpp"

namespace optgate {
namespace {

using lua_table = std::map<std::string, std::string>;  // key -> the Lua expression of its value

// The tables the script passes to cjson.encode, in the order they appear. Their values hold
// no braces and no commas, which keeps this reader small; a table that grows one fails the
// key comparisons below rather than passing unread.
std::vector<lua_table> encoded_tables(const std::string& script) {
    static const std::regex entry(R"((\w+) = ([^,]+?)\s*(?:,|$))");
    std::vector<lua_table> tables;
    for (auto at = script.find("cjson.encode({"); at != std::string::npos;
         at = script.find("cjson.encode({", at + 1)) {
        const auto begin = at + std::string_view("cjson.encode({").size();
        const auto body = script.substr(begin, script.find("})", begin) - begin);
        lua_table table;
        for (std::sregex_iterator m(body.begin(), body.end(), entry), end; m != end; ++m)
            table[(*m)[1]] = (*m)[2];
        tables.push_back(std::move(table));
    }
    return tables;
}

// Every match of `pattern`'s first group (and second, if any) in the script.
std::vector<std::pair<std::string, std::string>> matches(const std::string& script,
                                                         const std::string& pattern) {
    const std::regex re(pattern);
    std::vector<std::pair<std::string, std::string>> out;
    for (std::sregex_iterator m(script.begin(), script.end(), re), end; m != end; ++m)
        out.emplace_back((*m)[1], m->size() > 2 ? std::string((*m)[2]) : std::string());
    return out;
}

template <std::size_t n>
std::set<std::string> names(const std::array<std::string_view, n>& fields) {
    return {fields.begin(), fields.end()};
}

std::set<std::string> keys_of(const lua_table& table) {
    std::set<std::string> keys;
    for (const auto& [key, value] : table) keys.insert(key);
    return keys;
}

const std::string script(apply_script);
constexpr epoch_ms retention = 1500;  // ms

// Every value different from every other, so that two swapped arguments cannot pass.
consent_event sample_event() {
    consent_event e;
    e.address = "+16515550100";
    e.channel = channel::sms;
    e.program = "district";
    e.state = consent_state::opted_out;
    e.event_time = 1000;
    e.received_time = 2000;
    e.source = "twilio-sms";
    e.reference = "SM1";
    e.dedupe_key = "dedupe-1";
    e.keyword = "STOP";
    e.match = "exact";
    e.actor = "office";
    e.bulk_import = true;
    e.language = "es";
    e.scope = "all";
    return e;
}

TEST(ApplyScript, EncodesARecordThenAnAuditEntry) {
    ASSERT_EQ(encoded_tables(script).size(), 2u);
}

TEST(ApplyScript, TheRecordItStoresHasTheKeysTheDecoderReads) {
    const auto tables = encoded_tables(script);
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_EQ(keys_of(tables[0]), names(stored_record_fields));
}

TEST(ApplyScript, TheAuditEntryItStoresHasTheKeysTheDecoderReads) {
    const auto tables = encoded_tables(script);
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_EQ(keys_of(tables[1]), names(audit_entry_fields));
}

TEST(ApplyScript, ReadsBackOnlyKeysItStores) {
    // `record` is the stored record, `first` the audit entry of a dedupe key's first delivery.
    const auto record_reads = matches(script, R"(\brecord\.(\w+))");
    const auto entry_reads = matches(script, R"(\bfirst\.(\w+))");
    EXPECT_FALSE(record_reads.empty() || entry_reads.empty()) << "this test no longer reads it";
    for (const auto& [key, unused] : record_reads)
        EXPECT_TRUE(names(stored_record_fields).contains(key)) << "record." << key;
    for (const auto& [key, unused] : entry_reads)
        EXPECT_TRUE(names(audit_entry_fields).contains(key)) << "first." << key;
}

TEST(ApplyScript, ReadsExactlyTheArgumentsTheStoreSends) {
    std::set<std::size_t> read;
    for (const auto& [n, unused] : matches(script, R"(ARGV\[(\d+)\])")) read.insert(std::stoul(n));
    std::set<std::size_t> sent;
    for (std::size_t n = 1; n <= apply_arg::count; ++n) sent.insert(n);
    EXPECT_EQ(read, sent);
    EXPECT_EQ(apply_script_arguments(sample_event(), false, retention).size(), apply_arg::count);
    for (const auto& [k, unused] : matches(script, R"(KEYS\[(\d+)\])"))
        EXPECT_TRUE(k == "1" || k == "2" || k == "3" || k == "4")
            << "KEYS[" << k << "]: the store sends 4";
}

TEST(ApplyScript, EveryArgumentItReadsIsTheOneTheStorePutsThere) {
    const auto e = sample_event();
    const std::string journal = "0123456789abcdef";
    const auto argv = apply_script_arguments(e, true, retention, journal);
    const std::string state(to_string(e.state));
    // What the script means by each name that takes an ARGV: a stored key, or a local.
    const std::map<std::string, std::string> meant{
        {std::string(wire_field::address), e.address},
        {std::string(wire_field::channel), std::string(to_string(e.channel))},
        {std::string(wire_field::program), e.program},
        {std::string(wire_field::state), state},
        {std::string(wire_field::to_state), state},
        {std::string(wire_field::source), e.source},
        {std::string(wire_field::reference), e.reference},
        {std::string(wire_field::dedupe_key), e.dedupe_key},
        {std::string(wire_field::keyword), e.keyword},
        {std::string(wire_field::match), e.match},
        {std::string(wire_field::actor), e.actor},
        {"received", std::to_string(e.received_time)},
        {"stated", std::to_string(e.event_time)},
        {"bulk", "1"},
        {"replay", "1"},
        {"journal", journal},
        {"language", e.language},
        {"feed_retention", std::to_string(retention)},
        {"scope", e.scope},
        {"seen", consent_keys::seen_field(e.channel, e.program, e.dedupe_key)},
        {"current", consent_keys::record_field(e.channel, e.program)},
    };
    std::set<std::size_t> checked;
    auto expect_meant = [&](const std::string& name, const std::string& position) {
        const std::size_t n = std::stoul(position);
        ASSERT_TRUE(meant.contains(name)) << name << " = ARGV[" << n << "]: unknown to this test";
        ASSERT_TRUE(n >= 1 && n <= argv.size()) << name << " = ARGV[" << n << "]";
        EXPECT_EQ(argv[n - 1], meant.at(name)) << name << " = ARGV[" << n << "]";
        checked.insert(n);
    };
    static const std::regex plain_argument(R"(ARGV\[(\d+)\])");
    for (const auto& table : encoded_tables(script))
        for (const auto& [key, value] : table) {
            std::smatch m;
            if (std::regex_match(value, m, plain_argument)) expect_meant(key, m[1]);
        }
    for (const auto& [name, n] : matches(script, R"(local (\w+) = [^\n]*?ARGV\[(\d+)\])"))
        expect_meant(name, n);
    // The state compared with a state's name, and the hash fields beside their hashes.
    for (const auto& [n, unused] : matches(script, R"(ARGV\[(\d+)\] == 'opted_)"))
        EXPECT_EQ(std::stoul(n), apply_arg::state);
    for (const auto& [k, n] : matches(script, R"(KEYS\[(\d)\], ARGV\[(\d+)\])"))
        EXPECT_EQ(std::stoul(n), k == "1" ? apply_arg::record_field : apply_arg::seen_field)
            << "KEYS[" << k << "], ARGV[" << n << "]";

    std::set<std::size_t> every;
    for (std::size_t n = 1; n <= apply_arg::count; ++n) every.insert(n);
    EXPECT_EQ(checked, every) << "an argument whose meaning this test does not check";
}

TEST(ApplyScript, AReplayIsFlaggedWhereTheScriptLooksForIt) {
    EXPECT_EQ(apply_script_arguments(sample_event(), true, retention)[apply_arg::replay - 1], "1");
    EXPECT_EQ(apply_script_arguments(sample_event(), false, retention)[apply_arg::replay - 1], "0");
}

TEST(ApplyScript, OnlyAReplayNamesItsJournal) {
    const std::string journal = "0123456789abcdef";
    EXPECT_EQ(apply_script_arguments(sample_event(), true, retention,
                                     journal)[apply_arg::replayed_by - 1],
              journal);
    EXPECT_EQ(apply_script_arguments(sample_event(), false, retention,
                                     journal)[apply_arg::replayed_by - 1],
              "");
}

}  // namespace
}  // namespace optgate
