// The reply of POST /v1/check read as it arrives: each result is handed on as soon as it is
// complete, so that a million results are printed while they stream in and never held at
// once. Pure: bytes in, results out (a SAX parser underneath).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace optgate::ctl {

struct check_result {
    std::string input;
    std::string address;  // empty for an invalid address
    bool allowed = false;
    std::string state;   // empty for an invalid address
    std::string reason;  // opted_in, opted_out, default, invalid_address
    std::string since;   // with a record only
    std::string source;  // with a record only
};

class check_results_reader {
  public:
    using result_sink = std::function<void(const check_result&)>;

    explicit check_results_reader(result_sink sink);
    ~check_results_reader();

    // False once the reply is not the shape SPEC gives ({"results":[...],"allowed","denied"}).
    bool write(std::string_view piece);
    // After the last piece: false if the reply was cut short, malformed, or not ended by
    // the counts ("allowed" and "denied") that end a whole answer.
    bool finish();

    std::uint64_t allowed() const;
    std::uint64_t denied() const;
    // The daemon's message when it ended the results with an error (the store was lost
    // midway: `],"error":{...}` and no counts); empty otherwise. Then finish() is false too:
    // the results read so far are not the whole answer.
    const std::string& error_message() const;

  private:
    struct handler;
    struct parser;
    std::unique_ptr<parser> parser_;
};

}  // namespace optgate::ctl
