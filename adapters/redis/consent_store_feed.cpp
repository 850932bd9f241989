// consent_store's reads of the change feed: the stream the apply script adds each applied
// change to (consent_keys::changes).
#include <string_view>

#include "adapters/redis/consent_codec.hpp"
#include "adapters/redis/consent_store.hpp"
#include "adapters/redis/redis_error.hpp"
#include "core/feed_cursor.hpp"

namespace optgate {
namespace {

// A field of XINFO STREAM's flat reply ("name", value, ...), or nullptr.
const redis_reply* info_field(const redis_reply& info, std::string_view name) {
    for (std::size_t i = 0; i + 1 < info.elements.size(); i += 2)
        if (info.elements[i].str == name) return &info.elements[i + 1];
    return nullptr;
}

// XRANGE's entries ([id, [field, value, ...]]) as changes; false if one does not read.
bool read_entries(const redis_reply& range, std::vector<feed_change>& out) {
    for (const auto& item : range.elements) {
        if (item.elements.size() != 2) return false;
        const auto& fields = item.elements[1].elements;
        if (fields.size() != 2 || fields[0].str != "change") return false;
        auto entry = parse_audit_json(fields[1].str);
        if (!entry) return false;
        out.push_back({item.elements[0].str, std::move(*entry)});
    }
    return true;
}

// Whether changes after `after` may be missing from the stream. The retention trims from the
// oldest, so the entries removed (Redis 7 counts every entry ever added) all come before the
// first kept one, or before the last added when none is kept: a cursor before that missed
// some (one exactly at the last removed is taken for one before it, and re-syncs once more
// than it needed). "0" asks for the oldest kept, whatever was removed before. A cursor past
// the last id the stream gave is not one of this stream's: Redis lost the feed since.
bool cursor_lost(const redis_reply& info, const std::string& after) {
    const auto* last = info_field(info, "last-generated-id");
    if (!last || feed_cursor_before(last->str, after)) return true;
    if (after == "0") return false;
    const auto* added = info_field(info, "entries-added");
    const auto* length = info_field(info, "length");
    if (!added || !length) return true;  // not Redis 7: a gap could not be seen
    if (added->integer <= length->integer) return false;
    const auto* boundary = length->integer > 0 ? info_field(info, "recorded-first-entry-id") : last;
    return !boundary || feed_cursor_before(after, boundary->str);
}

bool is_missing_key(const redis_reply& reply) {
    return reply.is_error() && reply.str.find("no such key") != std::string::npos;
}

}  // namespace

void consent_store::read_feed(const std::string& after, std::size_t limit, feed_handler handler) {
    const bool from_end = after == "end";
    // The range first: a trim between the two reads then shows as a gap (410), never as
    // changes silently skipped.
    std::vector<redis_connection::command> commands;
    if (!from_end)
        commands.push_back(
            {"XRANGE", keys_.changes(), "(" + after, "+", "COUNT", std::to_string(limit)});
    commands.push_back({"XINFO", "STREAM", keys_.changes()});
    reads_->execute(std::move(commands), options_.command_deadline,
                    [after, from_end, handler = std::move(handler)](
                        std::error_code ec, std::vector<redis_reply> replies) {
                        if (ec) return handler(ec, {});
                        feed_page page;
                        page.next = from_end ? "0" : after;
                        const auto& info = replies.back();
                        if (is_missing_key(info)) {
                            // No stream: nothing applied since Redis started empty. A cursor of an
                            // earlier stream is lost with it.
                            page.gone = !from_end && after != "0";
                            return handler({}, std::move(page));
                        }
                        if (info.is_error())
                            return handler(make_error_code(redis_error::unexpected_reply), {});
                        if (from_end) {
                            const auto* last = info_field(info, "last-generated-id");
                            if (!last)
                                return handler(make_error_code(redis_error::unexpected_reply), {});
                            page.next = last->str;
                            return handler({}, std::move(page));
                        }
                        if (cursor_lost(info, after)) {
                            page.gone = true;
                            return handler({}, std::move(page));
                        }
                        if (!read_entries(replies.front(), page.changes))
                            return handler(make_error_code(redis_error::unexpected_reply), {});
                        if (!page.changes.empty()) page.next = page.changes.back().cursor;
                        handler({}, std::move(page));
                    });
}

}  // namespace optgate
