#include "adapters/redis/consent_store.hpp"

#include <spdlog/spdlog.h>

#include <iterator>
#include <mutex>

#include "adapters/redis/apply_script.hpp"
#include "adapters/redis/apply_script_arguments.hpp"
#include "adapters/redis/consent_codec.hpp"
#include "adapters/redis/redis_error.hpp"
#include "core/digest.hpp"
#include "core/store_error.hpp"

namespace optgate {

consent_store::consent_store(std::shared_ptr<redis_connection> writes,
                             std::shared_ptr<redis_connection> reads, std::string key_prefix,
                             store_options options)
    : writes_(std::move(writes)),
      reads_(std::move(reads)),
      keys_(std::move(key_prefix)),
      options_(options),
      script_sha_(to_hex(sha1(apply_script))),
      connected_handlers_(std::make_shared<std::vector<std::function<void()>>>()) {
    writes_->set_connected_handler([handlers = connected_handlers_] {
        for (const auto& h : *handlers) h();
    });
}

redis_connection::command consent_store::apply_command(const consent_event& e, bool replay) const {
    redis_connection::command command{"EVALSHA",
                                      script_sha_,
                                      "4",
                                      keys_.records(e.address),
                                      keys_.audit(e.address),
                                      keys_.seen(e.address),
                                      keys_.changes()};
    auto argv = apply_script_arguments(e, replay, options_.feed_retention.count(), journal_);
    command.insert(command.end(), std::make_move_iterator(argv.begin()),
                   std::make_move_iterator(argv.end()));
    return command;
}

void consent_store::apply(std::vector<consent_event> events, std::size_t replays,
                          apply_handler handler) {
    run_apply(std::make_shared<std::vector<consent_event>>(std::move(events)), replays, false,
              std::move(handler));
}

void consent_store::run_apply(std::shared_ptr<std::vector<consent_event>> events,
                              std::size_t replays, bool load_script, apply_handler handler) {
    std::vector<redis_connection::command> commands;
    commands.reserve(events->size() + 1);
    if (load_script) commands.push_back({"SCRIPT", "LOAD", std::string(apply_script)});
    for (std::size_t i = 0; i < events->size(); ++i)
        commands.push_back(apply_command((*events)[i], i < replays));
    const std::size_t first = load_script ? 1 : 0;
    writes_->execute(
        std::move(commands), options_.command_deadline,
        [this, events, replays, first, load_script, handler = std::move(handler)](
            std::error_code ec, std::vector<redis_reply> replies) mutable {
            if (ec) return handler(ec, {});
            std::vector<event_result> outcomes;
            std::vector<redis_connection::command> index;
            for (std::size_t i = first; i < replies.size(); ++i) {
                const auto& r = replies[i];
                if (r.is_error() && r.str.starts_with("NOSCRIPT") && !load_script)
                    return run_apply(events, replays, true, std::move(handler));  // cache flushed
                const auto outcome =
                    r.elements.size() == 2 ? parse_event_outcome(r.elements[0].str) : std::nullopt;
                if (!outcome) {
                    spdlog::error("redis: the apply script failed: {}", r.str);
                    return handler(make_error_code(redis_error::unexpected_reply), {});
                }
                // Scored by the entry's own receipt time, and never re-scored: a redelivered
                // event (a duplicate, received later) returns the entry first recorded.
                const auto entry = parse_audit_json(r.elements[1].str);
                outcomes.push_back({*outcome, entry ? entry->from : std::nullopt,
                                    entry && *outcome == event_outcome::duplicate
                                        ? std::optional(entry->received_time)
                                        : std::nullopt});
                const auto received =
                    entry ? entry->received_time : (*events)[i - first].received_time;
                index.push_back({"ZADD", keys_.audit_index(), "NX", std::to_string(received),
                                 r.elements[1].str});
            }
            // The global index is written after the per-address transaction; a crash in
            // between is healed by the journal's replay (a duplicate returns its entry).
            writes_->execute(std::move(index), options_.command_deadline,
                             [outcomes = std::move(outcomes), handler = std::move(handler)](
                                 std::error_code ec, std::vector<redis_reply>) mutable {
                                 handler(ec,
                                         ec ? std::vector<event_result>{} : std::move(outcomes));
                             });
        });
}

namespace {

// The last reply of a pipeline that ended with GET of the journal-complete marker: there,
// and not "replaying" (written before the journal is applied again into a Redis that lost
// data: what is read meanwhile may lack what the journal holds).
bool holds_marker(const std::vector<redis_reply>& replies) {
    return !replies.empty() && replies.back().type == redis_reply::kind::string &&
           replies.back().str != "replaying";
}

// Reads a long list of addresses in chunks, a few chunks in flight, never one round trip
// per recipient. Lives until its last chunk answers. The first pump() runs on the caller's
// thread while chunks answer on the connection's strand: the mutex keeps the two apart, so
// the handler is called once, on the strand.
struct chunked_read : std::enable_shared_from_this<chunked_read> {
    std::mutex mutex;
    std::shared_ptr<redis_connection> connection;
    consent_keys keys;
    std::string field;
    std::vector<std::string> other_fields;  // with `field` in one HMGET, if any
    std::string marker_key;                 // asked after each chunk's reads, if set
    const std::atomic<std::uint64_t>* verified_reads = nullptr;  // with the marker
    std::function<void()> on_data_loss;
    std::shared_ptr<const std::vector<std::string>> addresses;
    store_options options;
    consent_store::records_handler handler;
    checked_records results;
    std::size_t next = 0, in_flight = 0;
    bool failed = false;

    chunked_read(consent_keys k) : keys(std::move(k)) {}

    void start() {
        std::lock_guard lock(mutex);
        pump();
    }

    void pump() {  // with the mutex held
        while (!failed && in_flight < options.chunks_in_flight && next < addresses->size()) {
            const std::size_t begin = next;
            const std::size_t end = std::min(addresses->size(), begin + options.check_chunk);
            next = end;
            ++in_flight;
            std::vector<redis_connection::command> commands;
            commands.reserve(end - begin + 1);
            for (std::size_t i = begin; i < end; ++i) {
                if (other_fields.empty()) {
                    commands.push_back({"HGET", keys.records((*addresses)[i]), field});
                    continue;
                }
                redis_connection::command hmget{"HMGET", keys.records((*addresses)[i]), field};
                hmget.insert(hmget.end(), other_fields.begin(), other_fields.end());
                commands.push_back(std::move(hmget));
            }
            // Last, so that a flush at any moment before this chunk's reads finish is seen.
            if (!marker_key.empty()) commands.push_back({"GET", marker_key});
            connection->execute(std::move(commands), options.command_deadline,
                                [self = shared_from_this(), begin](
                                    std::error_code ec, std::vector<redis_reply> replies) {
                                    self->on_chunk(begin, ec, std::move(replies));
                                });
        }
        if (!failed && in_flight == 0 && next >= addresses->size()) handler({}, std::move(results));
    }

    void on_chunk(std::size_t begin, std::error_code ec, std::vector<redis_reply> replies) {
        std::lock_guard lock(mutex);
        --in_flight;
        if (failed) return;
        // Every chunk over the same connection, a verified one, or the read fails: see
        // checked_records and reads_verified().
        const auto connection_number = connection->connections();
        if (!ec && results.connection != 0 && results.connection != connection_number)
            ec = store_error::reconnected;
        if (!ec && verified_reads && verified_reads->load() != connection_number)
            ec = store_error::reconnected;
        results.connection = connection_number;
        if (!ec && !marker_key.empty()) {
            if (!holds_marker(replies)) {
                ec = store_error::data_lost;
                if (on_data_loss) on_data_loss();
            }
            replies.pop_back();
        }
        for (std::size_t i = 0; !ec && i < replies.size(); ++i)
            ec = other_fields.empty() ? read_record(replies[i], results.records[begin + i])
                                      : read_fields(replies[i], begin + i);
        if (ec) {
            failed = true;
            return handler(ec, {});
        }
        pump();
    }

    static std::error_code read_record(const redis_reply& reply,
                                       std::optional<consent_record>& into) {
        if (reply.is_nil()) return {};
        into = parse_record_json(reply.str);
        return into ? std::error_code() : redis_error::unexpected_reply;
    }

    // An HMGET's reply: the record of `field`, then those of other_fields. Another program's
    // record only informs the answer: one that does not read is left out of it, and fails
    // nothing (the record checked must read, or the check fails closed).
    std::error_code read_fields(const redis_reply& reply, std::size_t index) {
        if (reply.type != redis_reply::kind::array ||
            reply.elements.size() != other_fields.size() + 1)
            return redis_error::unexpected_reply;
        if (auto ec = read_record(reply.elements[0], results.records[index])) return ec;
        for (std::size_t i = 0; i < other_fields.size(); ++i) {
            std::optional<consent_record> other;
            if (!read_record(reply.elements[i + 1], other) && other &&
                other->state == consent_state::opted_out)
                results.others_opted_out[index] |= 1u << i;
        }
        return {};
    }
};

}  // namespace

void consent_store::read_records(channel c, std::string program, std::vector<std::string> others,
                                 std::shared_ptr<const std::vector<std::string>> addresses,
                                 records_handler handler) {
    auto read = std::make_shared<chunked_read>(keys_);
    read->connection = reads_;
    read->field = consent_keys::record_field(c, program);
    others.resize(std::min(others.size(), max_other_programs));
    for (const auto& other : others)
        read->other_fields.push_back(consent_keys::record_field(c, other));
    read->marker_key = marker_key_;
    if (!marker_key_.empty()) read->verified_reads = &verified_reads_;
    read->on_data_loss = on_data_loss_;
    read->addresses = std::move(addresses);
    read->options = options_;
    read->handler = std::move(handler);
    read->results.records.resize(read->addresses->size());
    if (!others.empty()) read->results.others_opted_out.resize(read->addresses->size());
    if (read->addresses->empty()) return read->handler({}, {});
    read->start();
}

namespace {

// "name:value" of an INFO section's line, or empty.
std::string info_field(const std::string& info, std::string_view name) {
    const std::string key = std::string(name) + ":";
    auto at = info.find(key);
    while (at != std::string::npos && at != 0 && info[at - 1] != '\n') at = info.find(key, at + 1);
    if (at == std::string::npos) return {};
    const auto begin = at + key.size();
    return info.substr(begin, info.find_first_of("\r\n", begin) - begin);
}

// What optgate writes as an instance id (16 hex digits): anything else in the registry is
// not one of its instances, and is not waited for.
bool is_instance_id(const std::string& member) {
    return member.size() == 16 && member.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// More instances than any district runs: a registry past it was not written by optgate.
constexpr std::size_t max_instances = 256;

}  // namespace

void consent_store::read_identity(const std::string& instance,
                                  const std::vector<std::string>& peers, identity_handler handler) {
    std::vector<redis_connection::command> commands{
        {"INFO", "server"}, {"GET", keys_.complete_marker(instance)},
        {"INFO", "memory"}, {"SMEMBERS", keys_.instances()},
        {"INFO", "stats"},  {"GET", keys_.evictions_review()}};
    if (!peers.empty()) {
        redis_connection::command markers{"MGET"};
        for (const auto& peer : peers) markers.push_back(keys_.complete_marker(peer));
        commands.push_back(std::move(markers));
    }
    writes_->execute(
        std::move(commands), options_.command_deadline,
        [writes = writes_, reads = writes_ == reads_ ? nullptr : reads_, peers,
         review_key = keys_.evictions_review(), deadline = options_.command_deadline,
         handler = std::move(handler)](std::error_code ec,
                                       std::vector<redis_reply> replies) mutable {
            if (ec) return handler(ec, {});
            server_identity id;
            for (const auto& r : replies)
                if (r.is_error() && id.refused.empty()) id.refused = r.str;
            if (!id.refused.empty()) return handler({}, std::move(id));
            id.run_id = info_field(replies[0].str, "run_id");
            id.redis_version = info_field(replies[0].str, "redis_version");
            // "replaying": written before the journal is applied again, not yet complete.
            id.complete_marker = !replies[1].is_nil() && replies[1].str != "replaying";
            id.marker = replies[1].str;
            id.maxmemory_policy = info_field(replies[2].str, "maxmemory_policy");
            for (const auto& member : replies[3].elements)
                if (is_instance_id(member.str) && id.instances.size() < max_instances)
                    id.instances.push_back(member.str);
            const auto evicted = parse_reply_integer(info_field(replies[4].str, "evicted_keys"));
            if (!evicted) return handler(redis_error::unexpected_reply, {});
            id.evicted_keys = *evicted;
            id.evictions_review = replies[5].str;
            id.evictions_review_key = review_key;
            if (!peers.empty()) {
                const auto& markers = replies[6].elements;
                for (std::size_t i = 0; i < markers.size() && i < peers.size(); ++i)
                    if (!markers[i].is_nil()) id.peer_markers.emplace(peers[i], markers[i].str);
            }
            if (id.run_id.empty()) return handler(redis_error::unexpected_reply, {});
            if (!reads) {
                id.reads_run_id = id.run_id;
                id.reads_connection = writes->connections();  // on its strand: exact
                return handler({}, std::move(id));
            }
            reads->execute({{"INFO", "server"}}, deadline,
                           [reads, id = std::move(id), handler = std::move(handler)](
                               std::error_code ec, std::vector<redis_reply> replies) mutable {
                               if (!ec && replies[0].is_error()) {
                                   id.refused = replies[0].str;
                                   return handler({}, std::move(id));
                               }
                               // On the reads connection's strand: the one that answered.
                               id.reads_connection = reads->connections();
                               if (!ec) id.reads_run_id = info_field(replies[0].str, "run_id");
                               if (!ec && id.reads_run_id.empty())
                                   ec = redis_error::unexpected_reply;
                               handler(ec, std::move(id));
                           });
        });
}

void consent_store::set_reads_connected_handler(std::function<void()> handler) {
    if (reads_ != writes_) reads_->set_connected_handler(std::move(handler));
}

void consent_store::require_complete_marker(const std::string& instance,
                                            std::function<void()> on_loss) {
    marker_key_ = keys_.complete_marker(instance);
    on_data_loss_ = std::move(on_loss);
}

void consent_store::reconnect_reads(std::string reason) {
    reads_->reconnect(std::move(reason));
}

void consent_store::write_replaying_marker(const std::string& instance,
                                           std::function<void(std::error_code)> handler) {
    write_meta({{"SET", keys_.complete_marker(instance), "replaying", "NX"}}, std::move(handler));
}

void consent_store::write_complete_marker(const std::string& instance, const std::string& run_id,
                                          const std::vector<std::string>& peers,
                                          std::function<void(std::error_code)> handler) {
    redis_connection::command registry{"SADD", keys_.instances(), instance};
    registry.insert(registry.end(), peers.begin(), peers.end());
    // XX: only over the marker written before the replay. A flush since removed it, and the
    // next verification must find it missing, not a marker this write made anew.
    write_meta({{"SET", keys_.complete_marker(instance), run_id, "XX"}, std::move(registry)},
               std::move(handler));
}

void consent_store::unregister(const std::vector<std::string>& instances,
                               std::function<void(std::error_code)> handler) {
    redis_connection::command registry{"SREM", keys_.instances()};
    registry.insert(registry.end(), instances.begin(), instances.end());
    write_meta({std::move(registry)}, std::move(handler));
}

void consent_store::write_meta(std::vector<redis_connection::command> commands,
                               std::function<void(std::error_code)> handler) {
    writes_->execute(
        std::move(commands), options_.command_deadline,
        [handler = std::move(handler)](std::error_code ec, std::vector<redis_reply> replies) {
            for (const auto& r : replies)
                if (!ec && r.is_error()) ec = redis_error::server_error;
            handler(ec);
        });
}

void consent_store::read_address(const std::string& address, address_handler handler) {
    std::vector<redis_connection::command> commands{
        {"HGETALL", keys_.records(address)},
        {"LRANGE", keys_.audit(address), "-" + std::to_string(options_.history_limit), "-1"}};
    if (!marker_key_.empty()) commands.push_back({"GET", marker_key_});
    reads_->execute(
        std::move(commands), options_.command_deadline,
        [this, checked = !marker_key_.empty(), on_loss = on_data_loss_,
         handler = std::move(handler)](std::error_code ec, std::vector<redis_reply> replies) {
            if (!ec && checked && verified_reads_.load() != reads_->connections())
                ec = store_error::reconnected;
            if (!ec && checked && !holds_marker(replies)) {
                ec = store_error::data_lost;
                if (on_loss) on_loss();
            }
            if (ec) return handler(ec, {});
            address_consent out;
            const auto& fields = replies[0].elements;
            for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
                const auto& name = fields[i].str;
                const auto slash = name.find('/');
                const auto ch = parse_channel(name.substr(0, slash));
                auto record = parse_record_json(fields[i + 1].str);
                if (!ch || !record || slash == std::string::npos) continue;
                out.records.push_back({*ch, name.substr(slash + 1), std::move(*record)});
            }
            const auto& entries = replies[1].elements;
            for (auto it = entries.rbegin(); it != entries.rend(); ++it)
                if (auto e = parse_audit_json(it->str)) out.history.push_back(std::move(*e));
            handler({}, std::move(out));
        });
}

void consent_store::read_audit(epoch_ms since, epoch_ms until, audit_cursor from, std::size_t limit,
                               audit_handler handler) {
    std::vector<redis_connection::command> commands{
        {"ZRANGEBYSCORE", keys_.audit_index(), std::to_string(std::max(since, from.score)),
         std::to_string(until), "WITHSCORES", "LIMIT", std::to_string(from.skip),
         std::to_string(limit)}};
    reads_->execute(std::move(commands), options_.command_deadline,
                    [from, limit, handler = std::move(handler)](std::error_code ec,
                                                                std::vector<redis_reply> replies) {
                        if (ec) return handler(ec, {}, std::nullopt);
                        std::vector<audit_entry> entries;
                        audit_cursor next = from;
                        const auto& items = replies[0].elements;
                        for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
                            const auto parsed = parse_reply_integer(items[i + 1].str);
                            if (!parsed)
                                return handler(make_error_code(redis_error::unexpected_reply), {},
                                               std::nullopt);
                            const epoch_ms score = *parsed;
                            if (score == next.score) {
                                ++next.skip;
                            } else {
                                next.score = score;
                                next.skip = 1;
                            }
                            if (auto e = parse_audit_json(items[i].str))
                                entries.push_back(std::move(*e));
                        }
                        const bool more = items.size() / 2 == limit;
                        handler({}, std::move(entries), more ? std::optional(next) : std::nullopt);
                    });
}

}  // namespace optgate
