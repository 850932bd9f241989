// What `import` will send, decided before anything is sent: the student information system's
// CSV rows mapped to addresses (phone and email columns), each with its state (a state column
// and its values, or opted_in: a district's form means consent), and every address turned
// into one consent change per channel and program. Pure: rows in, changes out.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/address.hpp"
#include "core/consent.hpp"
#include "ctl/csv.hpp"

namespace optgate::ctl {

struct import_mapping {
    std::vector<std::string> phone_columns;  // header names, matched ignoring case and spaces
    std::vector<std::string> email_columns;
    std::optional<std::string> state_column;
    std::vector<std::string> opted_in_values{"opted_in", "y", "yes", "true", "1"};
    std::vector<std::string> opted_out_values{"opted_out", "n", "no", "false", "0"};
    std::vector<channel> phone_channels{channel::sms, channel::voice};  // emails: email
    std::vector<std::string> programs;
};

// One address of the file. An address on several rows is one address: if any of its rows
// says opted_out, it is opted_out (the safe reading of a contradiction).
struct import_address {
    std::string value;  // normalised: +16515550100, jane@example.org
    address_kind kind;
    consent_state state;
    std::size_t line;  // the first row that gave it this state
};

// One PUT /v1/consent/{address}.
struct import_change {
    const import_address* who;
    optgate::channel channel;
    std::string program;
    std::string request_id;
};

class import_plan {
  public:
    // nullopt, with `problem` set, when a named column is missing from the header or named
    // twice in it.
    static std::optional<import_plan> from_header(const csv_record& header, import_mapping mapping,
                                                  std::string& problem);

    // Takes one data row. Returns why it is bad (then nothing of it is kept), or "". Empty
    // address cells are not an error: a family may give one phone number of two.
    std::string add_row(const csv_record& row);

    const std::vector<import_address>& addresses() const { return addresses_; }
    std::size_t rows_without_address() const { return rows_without_address_; }
    std::size_t change_count() const;

    // The changes of one address. Their request ids derive from the file's digest, so that
    // the same file imported again (a re-run after an interruption, an unchanged nightly
    // export) is recognised as duplicate by the daemon and changes nothing.
    std::vector<import_change> changes_of(const import_address& who,
                                          std::string_view file_digest) const;

  private:
    import_plan() = default;

    import_mapping mapping_;
    std::size_t width_ = 0;
    std::vector<std::size_t> phone_fields_, email_fields_;
    std::optional<std::size_t> state_field_;
    std::vector<import_address> addresses_;
    std::unordered_map<std::string, std::size_t> index_;  // value -> position in addresses_
    std::size_t rows_without_address_ = 0;
};

}  // namespace optgate::ctl
