#include "ctl/import_plan.hpp"

#include <algorithm>

#include "core/digest.hpp"

namespace optgate::ctl {
namespace {

// Every national number this daemon accepts is a NANP one, and all NANP countries normalise
// alike, so the CLI's normalisation is the daemon's whatever its default_country.
constexpr std::string_view nanp_country = "US";

std::string folded(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool listed(const std::vector<std::string>& values, const std::string& cell) {
    return std::any_of(values.begin(), values.end(),
                       [&](const std::string& v) { return folded(v) == cell; });
}

// The position of `name` in the header; nullopt with `problem` set if absent or ambiguous.
std::optional<std::size_t> column_of(const csv_record& header, const std::string& name,
                                     std::string& problem) {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        if (folded(header.fields[i]) != folded(name)) continue;
        if (found) {
            problem = "the header names column \"" + name + "\" twice";
            return std::nullopt;
        }
        found = i;
    }
    if (!found) problem = "the header has no column \"" + name + "\"";
    return found;
}

}  // namespace

std::optional<import_plan> import_plan::from_header(const csv_record& header,
                                                    import_mapping mapping, std::string& problem) {
    import_plan plan;
    plan.width_ = header.fields.size();
    for (const auto& name : mapping.phone_columns) {
        const auto at = column_of(header, name, problem);
        if (!at) return std::nullopt;
        plan.phone_fields_.push_back(*at);
    }
    for (const auto& name : mapping.email_columns) {
        const auto at = column_of(header, name, problem);
        if (!at) return std::nullopt;
        plan.email_fields_.push_back(*at);
    }
    if (mapping.state_column) {
        plan.state_field_ = column_of(header, *mapping.state_column, problem);
        if (!plan.state_field_) return std::nullopt;
    }
    plan.mapping_ = std::move(mapping);
    return plan;
}

std::string import_plan::add_row(const csv_record& row) {
    if (!row.error.empty()) return row.error;
    if (row.fields.size() != width_)
        return "it has " + std::to_string(row.fields.size()) + " fields, the header has " +
               std::to_string(width_);
    consent_state state = consent_state::opted_in;
    if (state_field_) {
        const auto cell = folded(row.fields[*state_field_]);
        if (listed(mapping_.opted_out_values, cell)) {
            state = consent_state::opted_out;
        } else if (!listed(mapping_.opted_in_values, cell)) {
            return "column \"" + *mapping_.state_column + "\": \"" + row.fields[*state_field_] +
                   "\" is neither an opted-in nor an opted-out value";
        }
    }
    std::vector<address> found;
    auto take = [&](const std::vector<std::size_t>& fields, const std::vector<std::string>& names,
                    address_kind kind) -> std::string {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto& cell = row.fields[fields[i]];
            if (folded(cell).empty()) continue;
            auto value = kind == address_kind::phone ? normalize_phone(cell, nanp_country)
                                                     : normalize_email(cell);
            // The value is not repeated: it may be a real number with a typo.
            if (!value)
                return "column \"" + names[i] + "\" is not " +
                       (kind == address_kind::phone ? "a phone number" : "an email address");
            found.push_back({kind, std::move(*value)});
        }
        return {};
    };
    if (auto problem = take(phone_fields_, mapping_.phone_columns, address_kind::phone);
        !problem.empty())
        return problem;
    if (auto problem = take(email_fields_, mapping_.email_columns, address_kind::email);
        !problem.empty())
        return problem;
    if (found.empty()) ++rows_without_address_;
    for (auto& a : found) {
        const auto [it, added] = index_.try_emplace(a.value, addresses_.size());
        if (added) {
            addresses_.push_back({std::move(a.value), a.kind, state, row.line});
        } else if (state == consent_state::opted_out &&
                   addresses_[it->second].state == consent_state::opted_in) {
            addresses_[it->second].state = state;
            addresses_[it->second].line = row.line;
        }
    }
    return {};
}

std::size_t import_plan::change_count() const {
    std::size_t count = 0;
    for (const auto& a : addresses_)
        count += (a.kind == address_kind::phone ? mapping_.phone_channels.size() : 1) *
                 mapping_.programs.size();
    return count;
}

std::vector<import_change> import_plan::changes_of(const import_address& who,
                                                   std::string_view file_digest) const {
    const std::vector<channel> channels = who.kind == address_kind::phone
                                              ? mapping_.phone_channels
                                              : std::vector<channel>{channel::email};
    std::vector<import_change> out;
    for (const auto c : channels) {
        for (const auto& program : mapping_.programs) {
            const std::string identity = std::string(file_digest) + '\n' + who.value + '\n' +
                                         std::string(to_string(c)) + '\n' + program + '\n' +
                                         std::string(to_string(who.state));
            out.push_back({&who, c, program, "import-" + to_hex(sha256(identity)).substr(0, 32)});
        }
    }
    return out;
}

}  // namespace optgate::ctl
