// The journal's event records as optgate writes them today: a fixed event list and its bytes,
// checked in. Journals already on disk hold these bytes; never regenerate them to make a test pass.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/consent.hpp"

namespace optgate::testing {

// Every field different from every other, so that two swapped keys cannot decode unnoticed;
// a provider's text with a quote, a non-ASCII letter and a byte that is not UTF-8.
inline std::vector<consent_event> golden_journal_events() {
    consent_event stop;
    stop.address = "+16515550100";
    stop.channel = channel::sms;
    stop.program = "district";
    stop.state = consent_state::opted_out;
    stop.event_time = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    stop.received_time = 1'767'225'600'500;
    stop.source = "twilio-sms";
    stop.reference = "SM0001";
    stop.dedupe_key = "twilio-sms/SM0001";
    stop.keyword = "Arr\xC3\xAAte \"STOP\" \xFF";
    stop.match = "contained";
    consent_event row;
    row.address = "j.doe@example.org";
    row.channel = channel::email;
    row.program = "athletics";
    row.state = consent_state::opted_in;
    row.event_time = 0;  // no stated time: dated by its receipt
    row.received_time = 1'767'229'200'000;
    row.source = "import";
    row.reference = "row-7";
    row.dedupe_key = "sis-nightly/7";
    row.actor = "office-key";
    row.bulk_import = true;
    return {stop, row};
}

// encode_events(golden_journal_events()), byte for byte, as hex: a JSON array of one object
// per event, keys address, channel, program, state, at, received, source, ref, dedupe,
// keyword, match, actor and import, in that order; the keyword's bytes as they came.
inline constexpr std::string_view golden_journal_events_hex =
    "5b7b2261646472657373223a222b3136353135353530313030222c226368616e6e656c22"
    "3a22736d73222c2270726f6772616d223a226469737472696374222c227374617465223a"
    "226f707465645f6f7574222c226174223a313736373232353630303030302c2272656365"
    "69766564223a313736373232353630303530302c22736f75726365223a227477696c696f"
    "2d736d73222c22726566223a22534d30303031222c22646564757065223a227477696c69"
    "6f2d736d732f534d30303031222c226b6579776f7264223a22417272c3aa7465205c2253"
    "544f505c2220ff222c226d61746368223a22636f6e7461696e6564222c226163746f7222"
    "3a22222c22696d706f7274223a66616c73657d2c7b2261646472657373223a226a2e646f"
    "65406578616d706c652e6f7267222c226368616e6e656c223a22656d61696c222c227072"
    "6f6772616d223a226174686c6574696373222c227374617465223a226f707465645f696e"
    "222c226174223a302c227265636569766564223a313736373232393230303030302c2273"
    "6f75726365223a22696d706f7274222c22726566223a22726f772d37222c226465647570"
    "65223a227369732d6e696768746c792f37222c226b6579776f7264223a22222c226d6174"
    "6368223a22222c226163746f72223a226f66666963652d6b6579222c22696d706f727422"
    "3a747275657d5d";

// The bytes a hex string spells; a malformed one gives a string the codecs refuse.
inline std::string from_hex(std::string_view hex) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        const int high = nibble(hex[i]), low = nibble(hex[i + 1]);
        if (high < 0 || low < 0) return "malformed hex";
        bytes.push_back(static_cast<char>(high << 4 | low));
    }
    return bytes;
}

inline std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (const unsigned char b : bytes) {
        hex.push_back(digits[b >> 4]);
        hex.push_back(digits[b & 0xF]);
    }
    return hex;
}

}  // namespace optgate::testing
