// optgatectl check reads the daemon's answer as it streams in: results come out one by one,
// whatever the pieces the bytes arrive in, and a reply cut short or of another shape fails.
#include "ctl/check_results_reader.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace optgate::ctl {
namespace {

// SPEC's example reply.
const std::string reply =
    R"({"results":[{"input":"651-555-0101","address":"+16515550101","allowed":true,)"
    R"("state":"opted_in","reason":"default"},)"
    R"({"input":"(651) 555-0100","address":"+16515550100","allowed":false,"state":"opted_out",)"
    R"("reason":"opted_out","since":"2026-11-22T10:00:00.000Z","source":"twilio-sms"},)"
    R"({"input":"b\"a\\d","allowed":false,"reason":"invalid_address"}],"allowed":1,"denied":2})";

std::vector<check_result> read_in_pieces(const std::string& text, std::size_t piece, bool& ok) {
    std::vector<check_result> out;
    check_results_reader reader([&](const check_result& r) { out.push_back(r); });
    ok = true;
    for (std::size_t i = 0; i < text.size() && ok; i += piece)
        ok = reader.write(std::string_view(text).substr(i, piece));
    ok = ok && reader.finish();
    if (ok) {
        EXPECT_EQ(reader.allowed(), 1u);
        EXPECT_EQ(reader.denied(), 2u);
    }
    return out;
}

TEST(CheckResultsReader, ReadsEveryResultInOrderWhateverThePieces) {
    for (std::size_t piece : {reply.size(), std::size_t(7), std::size_t(1)}) {
        bool ok = false;
        const auto results = read_in_pieces(reply, piece, ok);
        ASSERT_TRUE(ok) << "pieces of " << piece;
        ASSERT_EQ(results.size(), 3u);
        EXPECT_EQ(results[0].input, "651-555-0101");
        EXPECT_EQ(results[0].address, "+16515550101");
        EXPECT_TRUE(results[0].allowed);
        EXPECT_EQ(results[0].reason, "default");
        EXPECT_EQ(results[0].since, "");
        EXPECT_FALSE(results[1].allowed);
        EXPECT_EQ(results[1].state, "opted_out");
        EXPECT_EQ(results[1].since, "2026-11-22T10:00:00.000Z");
        EXPECT_EQ(results[1].source, "twilio-sms");
        EXPECT_EQ(results[2].input, "b\"a\\d");
        EXPECT_EQ(results[2].address, "");
        EXPECT_EQ(results[2].state, "");
        EXPECT_EQ(results[2].reason, "invalid_address");
    }
}

TEST(CheckResultsReader, AReplyCutShortFails) {
    bool ok = true;
    read_in_pieces(reply.substr(0, reply.size() - 20), 64, ok);
    EXPECT_FALSE(ok);
}

// The daemon lost its store midway: the results sent, then an error instead of the counts,
// and the connection closed. The error is read, and the answer is not whole.
TEST(CheckResultsReader, AnAnswerEndedByAnErrorFailsAndSaysWhy) {
    const std::string cut =
        reply.substr(0, reply.find("],\"allowed\"")) +
        R"(],"error":{"code":"unavailable","message":"the consent store is unreachable"})";
    std::vector<check_result> results;
    check_results_reader reader([&](const check_result& r) { results.push_back(r); });
    reader.write(cut);
    EXPECT_FALSE(reader.finish());
    EXPECT_EQ(results.size(), 3u);
    EXPECT_EQ(reader.error_message(), "the consent store is unreachable");
    // Even were the object closed, it is not a whole answer.
    check_results_reader closed([](const check_result&) {});
    EXPECT_TRUE(closed.write(cut + "}"));
    EXPECT_FALSE(closed.finish());
    EXPECT_EQ(closed.error_message(), "the consent store is unreachable");
}

TEST(CheckResultsReader, AnotherShapeFails) {
    for (const std::string other :
         {R"({"error":{"code":"x","message":"y"}})", R"([{"input":"a"}])", R"({"results":[[1]]})",
          R"({"results":[]})", R"({"results":[],"allowed":0})", "not json"}) {
        check_results_reader reader([](const check_result&) {});
        EXPECT_FALSE(reader.write(other) && reader.finish()) << other;
    }
}

}  // namespace
}  // namespace optgate::ctl
