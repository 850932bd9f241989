// The Lua script that applies one consent event atomically: dedupe key, event time (never
// after the receipt), event-time compare, rule 7 (an import never re-opts in, never re-dates
// a record that already says so, and its opt-in yields to older opt-outs), record write and
// audit append. Mirrors core/apply_event.cpp (tests hold them equal).
#pragma once

#include <string_view>

namespace optgate {

// KEYS: 1 consent hash, 2 audit list, 3 seen hash (all of one address: one hash tag), 4 the
// change feed stream (consent_keys::changes): an applied change that wrote the record is
// added to it, and entries older than ARGV[19] ms by Redis's own clock (which dates the
// stream's ids; optgate's may be skewed) are trimmed.
// ARGV: as apply_script_arguments.hpp names them (apply_arg). The JSON it stores, a record
// and an audit entry, has the keys of core/event_wire_fields.hpp; a key renamed here leaves
// every record in Redis unreadable (tests/unit/apply_script_test.cpp and the golden tests).
// Returns {outcome, audit entry JSON}; for a duplicate, the entry first recorded. In a replay,
// a seen dedupe key whose first delivery this is (same receipt time and state) and was applied
// restores the record, as core/apply_event does.
inline constexpr std::string_view apply_script = R"lua(
local received = tonumber(ARGV[5])
local replay = ARGV[16] == '1'
local journal = ARGV[20]
local seen = redis.call('HGET', KEYS[3], ARGV[2])
if seen then
  -- A duplicate changes nothing; in a replay, the first delivery that was applied restores
  -- its record (lost while its dedupe keys were kept), and audits nothing again.
  if not replay then return {'duplicate', seen} end
  local ok, first = pcall(cjson.decode, seen)
  if not ok or type(first) ~= 'table' or first.received ~= received or
     first.to ~= ARGV[3] or first.outcome ~= 'applied' then
    return {'duplicate', seen}
  end
end
-- core/consent.cpp dated_event_time: never after the receipt; no stated time is the receipt.
local stated = tonumber(ARGV[4])
local event_time = stated
if event_time <= 0 or event_time > received then event_time = received end
local bulk = ARGV[11] == '1'
local from = cjson.null
local outcome = 'applied'
local write = true
local language = ARGV[17] ~= '' and ARGV[17] or nil
local scope = ARGV[18] ~= '' and ARGV[18] or nil
-- The record keeps the family's language: the event's, else the one it had.
local kept_language = language
-- core/apply_event.cpp names_journal: whether `journals` (comma-separated) names `journal`,
-- or (other) any journal but it.
local function names_journal(journals, other)
  if type(journals) ~= 'string' then return false end
  for id in string.gmatch(journals, '[^,]+') do -- empty names skipped
    if (id == journal) ~= other then return true end
  end
  return false
end
local previous_journals = nil
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local record = cjson.decode(current)
  from = record.state
  if type(record.by) == 'string' and record.by ~= '' then previous_journals = record.by end
  if not kept_language and type(record.language) == 'string' then
    kept_language = record.language
  end
  local yields = record.source == 'import' and record.state == 'opted_in' and
    (not bulk or ARGV[3] == 'opted_out')
  -- core/apply_event.cpp older_than_record: leaning to the opt-out.
  local older
  if ARGV[3] == 'opted_in' then
    older = event_time <= record.at
  elseif seen and not (journal ~= '' and previous_journals == journal) then
    older = event_time < record.at
  else
    older = event_time < math.min(record.at, received)
  end
  -- core/apply_event.cpp opt_in_held_back and opts_out_another_journals: journals are
  -- applied again in no set order, by instances whose clocks may disagree, with live events
  -- meanwhile; the opt-out stands.
  if replay and record.state == 'opted_out' and (previous_journals or '') ~= journal and
    ARGV[3] == 'opted_in' then
    older = true
  elseif replay and not seen and record.state == 'opted_in' and
    names_journal(previous_journals, true) and ARGV[3] == 'opted_out' then
    older = false
  elseif replay and record.state == 'opted_out' and record.at > event_time and
    ARGV[3] == 'opted_out' then
    -- core/apply_event.cpp opts_out_an_opt_out_dated_later: the record stays as it is.
    older = false
    write = false
  end
  if older and not yields then
    outcome = 'superseded'
  elseif bulk and ARGV[3] == 'opted_in' and record.state == 'opted_out' then
    outcome = 'refused'
  elseif bulk and ARGV[3] == 'opted_in' and record.state == 'opted_in' then
    write = false
  end
end
-- core/apply_event.cpp replayed: the journals whose replays wrote it since the last live write.
local journals = nil
if replay then
  journals = previous_journals
  if journal ~= '' and not names_journal(previous_journals, false) then
    journals = previous_journals and (previous_journals .. ',' .. journal) or journal
  end
end
if outcome == 'applied' and write then
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({
    state = ARGV[3], at = event_time, source = ARGV[6], ref = ARGV[7],
    language = kept_language, by = journals}))
end
if seen then return {'duplicate', seen} end
local entry = cjson.encode({
  address = ARGV[12], channel = ARGV[13], program = ARGV[14], from = from, to = ARGV[3],
  outcome = outcome, at = event_time, received = received, source = ARGV[6],
  ref = ARGV[7], dedupe = ARGV[15], keyword = ARGV[8], match = ARGV[9], actor = ARGV[10],
  stated = event_time ~= stated and stated or nil, language = language, scope = scope})
redis.call('RPUSH', KEYS[2], entry)
redis.call('HSET', KEYS[3], ARGV[2], entry)
local feed_retention = tonumber(ARGV[19])
if outcome == 'applied' and write then
  local now = redis.call('TIME')
  local min_id = math.max(0, tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) -
    feed_retention)
  redis.call('XADD', KEYS[4], 'MINID', '~', string.format('%d', min_id), '*', 'change', entry)
end
return {outcome, entry}
)lua";

}  // namespace optgate
