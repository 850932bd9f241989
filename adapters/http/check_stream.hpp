// The answer to one POST /v1/check, streamed: the recipients are read from the store a chunk
// at a time, a few chunks in flight, and each chunk's results are written to the client as
// soon as they and those before them are known, in input order. So a million recipients take
// a few chunks of memory, not a million results, and the first bytes leave at once.
//
// What the client sees (docs/http-api.md):
// - a check whose every chunk is read before the first one is sent (a small one) gets a plain
//   answer with Content-Length; a larger one is chunked;
// - the store lost before the first chunk is read: 503, as before;
// - the store lost later: the results already read, then `],"error":{...}` and the connection
//   closed without the last chunk. The body is never valid JSON and the transfer is
//   incomplete, so no client can take it for a complete answer; a complete one ends with
//   the counts, `"allowed":N,"denied":M}`.
// "Lost" is more than a failed read: a chunk to be read while answers are held (Redis being
// verified or repaired, the journal applied again), or read over another connection to the
// store than the first chunk's (a restarted or failed-over server, not yet verified, may
// answer it), ends the answer too. A fresh check waits for the verification instead.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/http/http_metrics.hpp"
#include "adapters/http/http_types.hpp"
#include "adapters/http/service_context.hpp"
#include "adapters/http/string_list_body.hpp"
#include "core/check_decision.hpp"
#include "core/consent_ports.hpp"

namespace optgate {

// A parsed check. Its recipients are places in `body`, which it owns; it holds the config
// snapshot it was parsed under (the program, the default country) until its answer is sent.
struct check_request {
    std::string body;
    std::optional<string_list> recipients;
    settings_snapshot config;
    optgate::channel channel = channel::sms;
    const program_settings* program = nullptr;  // in `config`
    // For an emergency-purpose program, the other programs whose opt-outs each result names.
    std::vector<std::string> others;
};

struct check_stream_options {
    std::size_t chunk = 2000;  // recipients per read from the store, at most
    // Bytes of recipients per chunk, at most (one recipient, however long, at least): a
    // chunk's results are about its recipients' size, so the chunks held stay a few MB.
    std::size_t chunk_bytes = 256 * 1024;
    std::size_t chunks_in_flight = 4;  // reads sent before the first one answers
    // Chunks read but not yet written, with those in flight: what a slow client can make
    // optgate hold.
    std::size_t chunks_held = 8;
};

// Threads: read answers arrive on the store's strand, the client asks for the next chunk on
// its session's; a mutex keeps the two apart, and nothing is called out to while it is held.
class check_stream : public std::enable_shared_from_this<check_stream> {
  public:
    // `writes` says whether answers are held; a chunk is read only while they are not.
    check_stream(std::shared_ptr<const check_request> request, consent_reader& reads,
                 const consent_writer& writes, http_metrics& metrics,
                 std::shared_ptr<reply_channel> reply, http_request head, std::string request_id,
                 check_stream_options options = {});
    // Counts the results sent in optgate_check_recipients_total: once, here.
    ~check_stream();

    void start();

  private:
    struct chunk_read;
    using counts = std::array<std::array<std::size_t, 4>, 2>;  // [allowed][reason]
    // A chunk's results as JSON, and their counts.
    struct rendered {
        std::string text;
        counts tally{};
    };
    // What to do once the mutex is released.
    struct next_steps {
        std::vector<std::shared_ptr<chunk_read>> reads;
        std::optional<http_response> answer;  // a whole answer, or a 503
        bool open_stream = false;
        std::optional<chunk_sink> sink;    // with one of:
        std::optional<std::string> piece;  //   the next piece of the body,
        bool end = false;                  //   its end,
        bool abort = false;                //   or the connection closed without one
    };

    void read(std::shared_ptr<chunk_read> chunk);
    void on_read(std::shared_ptr<chunk_read> chunk, std::error_code ec, checked_records records);
    void on_sink(chunk_sink sink);
    // With the mutex held: the chunks there is room for (read, or answered at once when no
    // recipient needs a read), and what the client can be given.
    next_steps plan();
    void plan_chunks(next_steps& steps);
    void plan_answer(next_steps& steps);
    void fail(std::error_code ec);  // with the mutex held
    std::string take_front();       // with the mutex held: the next results, counted
    void carry_out(next_steps steps);
    // The chunk's results, after a comma or the body's start.
    rendered render(const chunk_read& chunk, const checked_records& read) const;
    std::string ending() const;

    std::shared_ptr<const check_request> request_;
    consent_reader& reads_;
    const consent_writer& writes_;
    http_metrics& metrics_;
    std::shared_ptr<reply_channel> reply_;
    http_request head_;
    std::string request_id_;
    check_stream_options options_;

    std::mutex mutex_;
    std::size_t next_recipient_ = 0;  // the first one not yet asked for
    std::size_t in_flight_ = 0;
    std::size_t first_unsent_ = 0;  // the chunk whose results are ready_[0]
    std::deque<std::optional<rendered>> ready_;
    std::optional<std::uint64_t> connection_;  // the store's, that answered the first read
    std::optional<chunk_sink> waiting_;        // the client waits for the next piece
    bool streaming_ = false;
    bool ended_ = false;  // the ending (counts or error) is written
    std::optional<std::error_code> failed_;
    counts sent_{};  // of the results given to the client, counted into the metric once
};

}  // namespace optgate
