// A check's answer is read and written a chunk at a time: results leave in input order
// whatever order the reads answer in, and a client that does not read holds back the reads,
// so what optgate holds for one check is a few chunks, never the whole list.
#include "adapters/http/check_stream.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <deque>
#include <string>

#include "config/settings_loader.hpp"
#include "core/store_error.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/unit/http/fake_consent.hpp"

namespace optgate::testing {
namespace {

namespace json = boost::json;

// Reads answer only when the test says: every record is an opt-out of the address's
// last digit being 7.
class held_reads final : public consent_reader {
  public:
    bool available() const override { return true; }
    void read_records(channel, std::string, std::vector<std::string>,
                      std::shared_ptr<const std::vector<std::string>> addresses,
                      records_handler handler) override {
        pending.push_back({std::move(addresses), std::move(handler)});
        ++asked;
    }
    void read_address(const std::string&, address_handler) override {}
    void read_audit(epoch_ms, epoch_ms, audit_cursor, std::size_t, audit_handler) override {}
    void read_feed(const std::string&, std::size_t, feed_handler) override {}

    // Answers the read `i` of those pending (0: the oldest).
    void answer(std::size_t i, std::error_code ec = {}) {
        auto read = std::move(pending.at(i));
        pending.erase(pending.begin() + std::ptrdiff_t(i));
        checked_records out;
        for (const auto& a : *read.addresses) {
            if (a.back() == '7')
                out.records.push_back(
                    consent_record{consent_state::opted_out, 1, "sms", "ref", ""});
            else
                out.records.push_back(std::nullopt);
        }
        out.connection = connection;
        read.handler(ec, ec ? checked_records{} : std::move(out));
    }

    struct read {
        std::shared_ptr<const std::vector<std::string>> addresses;
        records_handler handler;
    };
    std::deque<read> pending;
    std::size_t asked = 0;
    std::uint64_t connection = 1;  // the store's connection the answers come over
};

// A client that reads the next piece only when the test says.
class slow_client final : public reply_channel {
  public:
    void send(http_response response) override { answer = std::move(response); }
    void stream(http_response head, chunk_source s) override {
        answer = std::move(head);
        source = std::move(s);
        ask();
    }
    void ask() {
        source(chunk_sink{[this](std::optional<std::string> piece) {
                              if (piece)
                                  body += *piece;
                              else
                                  ended = true;
                              waiting = false;
                          },
                          [this] { aborted = true; }});
    }
    // Reads pieces for as long as one is ready.
    void read_what_is_ready() {
        for (waiting = false; !waiting && !ended && !aborted;) {
            waiting = true;
            ask();
        }
    }

    std::optional<http_response> answer;
    chunk_source source;
    std::string body;
    bool waiting = false, ended = false, aborted = false;
};

class CheckStream : public ::testing::Test {
  protected:
    // As a session does once its answer is done: the stream, which holds the client, goes.
    void TearDown() override { client->source = nullptr; }

    std::shared_ptr<check_stream> start(std::size_t recipients, std::size_t invalid_first = 0,
                                        check_stream_options options = {10, 4096, 2, 3}) {
        auto request = std::make_shared<check_request>();
        request->config = std::make_shared<const settings>(
            parse_settings(default_test_config("redis://127.0.0.1:1", "unit:"), "/nonexistent"));
        request->program = request->config->find_program("district");
        // Ten digits each: a number, or "0000000000" (not one) for the first invalid_first.
        request->body = "[";
        for (std::size_t i = 0; i < recipients; ++i)
            request->body += (i ? ",\"" : "\"") +
                             (i < invalid_first ? "0000000000" : std::to_string(6512000000 + i)) +
                             "\"";
        request->body += "]";
        request->recipients.emplace(request->body);
        for (std::size_t i = 0, at = 2; i < recipients; ++i, at += 13)
            request->recipients->add_in_body(std::string_view(request->body).substr(at, 10));
        auto stream = std::make_shared<check_stream>(request, reads, writes, metrics, client, head,
                                                     "t", options);
        stream->start();
        return stream;
    }

    // Before the reads, whose pending handlers may hold the last reference to a stream:
    // what a stream uses outlives it.
    http_metrics metrics;
    fake_consent writes;  // answers held when a test says so
    held_reads reads;
    std::shared_ptr<slow_client> client = std::make_shared<slow_client>();
    optgate::http_request head{http::verb::post, "/v1/check", 11};
};

TEST_F(CheckStream, ResultsLeaveInInputOrderWhateverOrderTheReadsAnswerIn) {
    start(45);  // chunks of 10: five reads
    ASSERT_EQ(reads.pending.size(), 2u);
    reads.answer(1);  // the second chunk first: nothing can be sent yet
    EXPECT_FALSE(client->answer);
    reads.answer(0);
    ASSERT_TRUE(client->answer);
    EXPECT_EQ(client->answer->result_int(), 200);
    while (!reads.pending.empty()) {
        reads.answer(reads.pending.size() - 1);
        client->read_what_is_ready();
    }
    client->read_what_is_ready();
    ASSERT_TRUE(client->ended);
    EXPECT_FALSE(client->aborted);
    EXPECT_EQ(reads.asked, 5u);
    const auto body = json::parse(client->body).as_object();
    const auto& results = body.at("results").as_array();
    ASSERT_EQ(results.size(), 45u);
    for (std::size_t i = 0; i < results.size(); ++i)
        EXPECT_EQ(results[i].at("address"), json::value("+1" + std::to_string(6512000000 + i)));
    EXPECT_EQ(results[7].at("allowed"), json::value(false));
    EXPECT_EQ(body.at("denied"), json::value(4));  // 7, 17, 27, 37
}

TEST_F(CheckStream, AClientThatDoesNotReadHoldsBackTheReads) {
    start(1000);  // a hundred chunks
    reads.answer(0);
    reads.answer(0);
    ASSERT_TRUE(client->answer);
    // The first piece is with the client, which does not ask for more: three chunks are held
    // (two read, one in flight), and no more are asked for.
    for (int i = 0; i < 5 && !reads.pending.empty(); ++i) reads.answer(0);
    EXPECT_EQ(reads.asked, 4u);
    EXPECT_TRUE(reads.pending.empty());
    client->read_what_is_ready();
    EXPECT_GT(reads.asked, 4u);
    EXPECT_LE(reads.pending.size(), 2u);
}

TEST_F(CheckStream, TheRecipientsAreCountedInTheMetricOnceTheAnswerIsDone) {
    {
        start(30);
        while (!reads.pending.empty()) reads.answer(0);
        client->read_what_is_ready();
        ASSERT_TRUE(client->ended);
        client->source = nullptr;  // the session lets the stream go
    }
    EXPECT_EQ(metrics.check_recipients.value({"allowed", "default"}), 27u);
    EXPECT_EQ(metrics.check_recipients.value({"denied", "opted_out"}), 3u);
}

// A restarted or failed-over Redis may answer a later chunk over a new connection before
// optgate has verified it (a fresh check would wait): the answer ends with the error.
TEST_F(CheckStream, AChunkReadOverAnotherConnectionThanTheFirstEndsTheAnswer) {
    start(100);
    reads.answer(0);
    client->read_what_is_ready();
    reads.connection = 2;
    while (!reads.pending.empty()) reads.answer(0);
    client->read_what_is_ready();
    EXPECT_TRUE(client->aborted);
    EXPECT_FALSE(client->ended);
    EXPECT_NE(client->body.find(R"(],"error":{"code":"unavailable","message":"the connection)"),
              std::string::npos)
        << client->body.substr(client->body.size() - 150);
    EXPECT_EQ(client->body.find(R"("denied")"), std::string::npos);
}

// Answers held meanwhile (Redis being verified, the journal applied again): no further chunk
// is read, and the answer ends with the error.
TEST_F(CheckStream, NoChunkIsReadWhileAnswersAreHeld) {
    start(100);
    reads.answer(0);
    client->read_what_is_ready();
    writes.holding = true;
    const auto asked = reads.asked;
    while (!reads.pending.empty()) reads.answer(0);
    client->read_what_is_ready();
    EXPECT_EQ(reads.asked, asked);
    EXPECT_TRUE(client->aborted);
    EXPECT_NE(client->body.find("being verified or brought up to date"), std::string::npos);
}

// Chunks that need no read (every recipient invalid) are answered at once, however many.
TEST_F(CheckStream, ACheckOfInvalidRecipientsOnlyIsAnswered) {
    for (const std::size_t n : {1u, 10u, 35u, 200u}) {
        client->source = nullptr;
        client = std::make_shared<slow_client>();
        start(n, n);
        if (client->source) client->read_what_is_ready();
        EXPECT_EQ(reads.asked, 0u) << n;
        ASSERT_TRUE(client->answer) << n;
        const auto& body = client->source ? client->body : client->answer->body();
        const auto answer = json::parse(body).as_object();
        EXPECT_EQ(answer.at("results").as_array().size(), n);
        EXPECT_EQ(answer.at("denied"), json::value(n));
    }
    // Many leading invalid chunks, then one to read.
    client->source = nullptr;
    client = std::make_shared<slow_client>();
    start(120, 110);
    client->read_what_is_ready();
    while (!reads.pending.empty()) {
        reads.answer(0);
        client->read_what_is_ready();
    }
    ASSERT_TRUE(client->ended);
    EXPECT_EQ(json::parse(client->body).at("denied"), json::value(111));  // 110, and ...17
}

// A chunk ends at its bytes' limit too, so that long recipients do not make a chunk large.
TEST_F(CheckStream, AChunkHoldsAtMostItsBytesOfRecipients) {
    start(30, 0, {10, 25, 2, 3});  // 10 bytes each: three recipients a chunk
    EXPECT_EQ(reads.pending.size(), 2u);
    EXPECT_EQ(reads.pending[0].addresses->size(), 3u);
}

}  // namespace
}  // namespace optgate::testing
