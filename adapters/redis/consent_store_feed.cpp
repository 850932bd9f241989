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

// Whether the retention removed entries after `after`: it trims from the oldest, so the
// entries removed (Redis 7 counts every entry ever added) all come before the first kept one,
// or before the last added when none is kept. A cursor exactly at the last one removed is
// taken for one before it: such a follower re-syncs once more than it needed.
bool trimmed_after(const redis_reply& info, const std::string& after) {
    const auto* added = info_field(info, "entries-added");
    const auto* length = info_field(info, "length");
    if (!added || !length || added->integer <= length->integer) return false;
    const auto* boundary = length->integer > 0 ? info_field(info, "recorded-first-entry-id")
                                               : info_field(info, "last-generated-id");
    return boundary && feed_cursor_before(after, boundary->str);
}

}  // namespace

void consent_store::read_feed(const std::string& after, std::size_t limit,
                              feed_handler handler) {
    const bool from_end = after == "end";
    std::vector<redis_connection::command> commands{{"XINFO", "STREAM", keys_.changes()}};
    if (!from_end)
        commands.push_back(
            {"XRANGE", keys_.changes(), "(" + after, "+", "COUNT", std::to_string(limit)});
    reads_->execute(
        std::move(commands), options_.command_deadline,
        [after, from_end, handler = std::move(handler)](std::error_code ec,
                                                        std::vector<redis_reply> replies) {
            if (ec) return handler(ec, {});
            feed_page page;
            page.next = from_end ? "0" : after;
            // No stream yet (nothing applied since Redis started empty): no changes.
            const auto& info = replies[0];
            if (info.is_error()) return handler({}, std::move(page));
            if (from_end) {
                if (const auto* last = info_field(info, "last-generated-id")) page.next = last->str;
                return handler({}, std::move(page));
            }
            if (trimmed_after(info, after)) {
                page.gone = true;
                return handler({}, std::move(page));
            }
            if (!read_entries(replies[1], page.changes))
                return handler(make_error_code(redis_error::unexpected_reply), {});
            if (!page.changes.empty()) page.next = page.changes.back().cursor;
            handler({}, std::move(page));
        });
}

}  // namespace optgate
