// The Redis key layout. Every key of one address carries the address as its hash tag; the
// apply script touches that slot and, to add a change, the change feed's stream.
#pragma once

#include <string>
#include <string_view>

#include "core/consent.hpp"

namespace optgate {

class consent_keys {
  public:
    explicit consent_keys(std::string prefix) : prefix_(std::move(prefix)) {}

    // Hash: "channel/program" -> record JSON.
    std::string records(std::string_view address) const { return tagged(address, ":consent"); }
    // List: audit entry JSON, oldest first.
    std::string audit(std::string_view address) const { return tagged(address, ":audit"); }
    // Hash: "channel/program/dedupe key" -> the audit entry JSON it produced.
    std::string seen(std::string_view address) const { return tagged(address, ":seen"); }
    // Sorted set over every address: audit entry JSON scored by received time, for
    // /v1/audit. Written after the script, idempotently (a member is added once).
    std::string audit_index() const { return prefix_ + "{audit}:by_received"; }
    // Stream of every applied change, oldest first (GET /v1/changes): one field, "change", the
    // audit entry JSON. Written by the apply script with the change itself, so that no change
    // is ever missing from it; the one key outside an address's slot (with Redis Cluster it
    // would be one stream per slot).
    std::string changes() const { return prefix_ + "{changes}:stream"; }
    // A webhook's lease (the id of the instance delivering it, set with PX) and its state
    // (a hash: cursor, delivered_at, failures, ...); see webhook_ledger_store.
    std::string webhook_lease(std::string_view webhook) const {
        return prefix_ + "{webhook:" + std::string(webhook) + "}:lease";
    }
    std::string webhook_state(std::string_view webhook) const {
        return prefix_ + "{webhook:" + std::string(webhook) + "}:state";
    }
    // Set once Redis holds everything one optgate instance's journal retains; its absence
    // means Redis lost data (restarted empty, flushed) and that journal must be applied again.
    // One per instance: another instance's marker says nothing about this one's journal.
    std::string complete_marker(std::string_view instance) const {
        return prefix_ + "{meta}:complete:" + std::string(instance);
    }

    // Set of the instance ids that have applied their journal in full to this Redis: the
    // peers each instance waits for after Redis lost data (see data_loss_watch).
    std::string instances() const { return prefix_ + "{meta}:instances"; }
    // A counter the operator increments (INCR) once Redis's evictions are reviewed: restored
    // from a backup, or none of optgate's keys among them.
    std::string evictions_review() const { return prefix_ + "{meta}:evictions-reviewed"; }

    static std::string record_field(channel c, std::string_view program) {
        return std::string(to_string(c)) + "/" + std::string(program);
    }
    static std::string seen_field(channel c, std::string_view program, std::string_view dedupe) {
        return record_field(c, program) + "/" + std::string(dedupe);
    }

  private:
    std::string tagged(std::string_view address, std::string_view suffix) const {
        std::string key;
        key.reserve(prefix_.size() + address.size() + suffix.size() + 2);
        key += prefix_;
        key += '{';
        key += address;
        key += '}';
        key += suffix;
        return key;
    }
    std::string prefix_;
};

}  // namespace optgate
