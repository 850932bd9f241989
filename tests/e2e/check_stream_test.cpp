// A large check's answer streams while its chunks are read: the real daemon over real HTTP
// and a real Redis. A chunk read after the daemon's Redis connection was made again (a
// restarted or failed-over server may answer, not yet verified) ends the answer with an
// error, never with a whole answer; an HTTP/1.0 client gets the answer without chunks.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <boost/json/parse.hpp>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/raw_connection.hpp"

namespace optgate::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* family = "+16515550100";

// A check of the family and then `count` other numbers, as an HTTP/1.x request.
std::string check_request(int count, const std::string& version) {
    std::string body = R"({"channel":"sms","program":"district","recipients":[")";
    body += family;
    for (int i = 0; i < count; ++i) body += "\",\"+1651" + std::to_string(2000000 + i);
    body += "\"]}";
    return "POST /v1/check " + version + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
           std::string(test_api_key) +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

class CheckStream : public e2e_test {};

TEST_F(CheckStream, AChunkReadAfterRedisWasReconnectedEndsTheAnswerWithAnError) {
    const auto daemon = start_daemon();
    ASSERT_EQ(send_sms(*daemon, family, district_code, "STOP", message_sid(1)).status, 200);
    raw_connection client(daemon->port());
    ASSERT_TRUE(client.send(check_request(300000, "HTTP/1.1")));
    const auto start = client.read_until(R"({"input":"+16512000100")", 20s);
    ASSERT_NE(start.bytes.find("Transfer-Encoding: chunked"), std::string::npos);
    // The client reads no more: the daemon reads a few chunks ahead and waits. Then its
    // connections to Redis are cut, and made again.
    std::this_thread::sleep_for(1s);
    ASSERT_GE(redis().command({"CLIENT", "KILL", "TYPE", "normal"}).integer, 2);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline &&
           post_check(*daemon, "sms", "district", {family}).status != 200)
        std::this_thread::sleep_for(50ms);

    const auto rest = client.read_until_closed(60s);
    const auto answer = start.bytes + rest.bytes;
    EXPECT_TRUE(rest.closed);
    const auto error = answer.find(R"(],"error":{"code":"unavailable","message":")");
    ASSERT_NE(error, std::string::npos) << answer.substr(answer.size() - 300);
    const auto message = answer.substr(error, 200);
    EXPECT_TRUE(message.find("made again during the check") != std::string::npos ||
                message.find("being verified") != std::string::npos)
        << message;
    EXPECT_EQ(answer.find(R"(,"denied":)"), std::string::npos) << "the counts were sent";
    EXPECT_FALSE(answer.ends_with("0\r\n\r\n"));
    EXPECT_NE(daemon->log_text().find("answered 200"), std::string::npos);
    EXPECT_NE(daemon->log_text().find("(cut short)"), std::string::npos);
}

TEST_F(CheckStream, AnHttp10ClientGetsTheAnswerWithoutChunksEndedByTheClose) {
    const auto daemon = start_daemon();
    raw_connection client(daemon->port());
    ASSERT_TRUE(client.send(check_request(5000, "HTTP/1.0")));
    const auto answer = client.read_until_closed(30s);
    ASSERT_TRUE(answer.closed);
    ASSERT_TRUE(answer.bytes.starts_with("HTTP/1.0 200")) << answer.bytes.substr(0, 200);
    const auto head_end = answer.bytes.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos);
    const auto head = answer.bytes.substr(0, head_end);
    EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos) << head;
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
    const auto body = boost::json::parse(answer.bytes.substr(head_end + 4));
    EXPECT_EQ(body.at("results").as_array().size(), 5001u);
    EXPECT_EQ(body.at("allowed"), boost::json::value(5001));
}

}  // namespace
}  // namespace optgate::testing
