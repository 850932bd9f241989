// Every network operation has a limit (SPEC: HTTP interface): a slow client is cut off at the
// request deadline, a body announced over the route's limit, or sent to an API route without a
// valid key or the route's role, is refused before it is read (and the rest discarded, so the
// client reads the refusal), and connections beyond the cap get a short 503 (never 429: Twilio
// fails over on it).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/api_reply.hpp"
#include "tests/support/raw_connection.hpp"

namespace optgate::testing {
namespace {

std::string request_head(const std::string& target, std::size_t content_length,
                         const std::string& content_type, const std::string& api_key = {}) {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type +
           (api_key.empty() ? "" : "\r\nAuthorization: Bearer " + api_key) +
           "\r\nContent-Length: " + std::to_string(content_length) + "\r\n\r\n";
}

std::string status_line(const std::string& response) {
    return response.substr(0, response.find("\r\n"));
}

class ConnectionLimits : public e2e_test {};

TEST_F(ConnectionLimits, SlowWebhookBodyIsCutOffAtTheRequestDeadline) {
    const auto daemon = start_daemon("limits: { request_timeout_seconds: 1 }\n");
    raw_connection slow(daemon->port());
    const auto body =
        form_urlencode(sms_fields("+16515550100", district_code, "STOP", message_sid(1)));
    ASSERT_TRUE(slow.send(request_head(sms_path, body.size(), "application/x-www-form-urlencoded") +
                          body.substr(0, 10)));
    const auto started = std::chrono::steady_clock::now();
    const auto result = slow.read_until_closed(std::chrono::seconds(10));
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(result.closed) << "still open after 10 s";
    EXPECT_EQ(result.bytes, "") << "nothing to answer to half a request";
    EXPECT_LT(waited, std::chrono::seconds(5));
    // The daemon serves on, and the half request changed nothing.
    EXPECT_EQ(text_of(check_one(*daemon, "+16515550100"), "reason"), "default");
}

TEST_F(ConnectionLimits, BodyAnnouncedOverTheLimitIsRefusedBeforeItIsSent) {
    const auto daemon = start_daemon();
    // 64 KiB + 1 on a webhook; 64 MiB + 1 on /v1/check: refused from the header alone.
    const std::vector<std::pair<std::string, std::size_t>> cases{
        {sms_path, 64 * 1024 + 1}, {"/v1/check", 64 * 1024 * 1024 + 1}};
    for (const auto& [target, length] : cases) {
        raw_connection client(daemon->port());
        ASSERT_TRUE(client.send(request_head(target, length, "application/json")));
        const auto result = client.read_until_closed(std::chrono::seconds(10));
        EXPECT_TRUE(result.closed) << target;
        EXPECT_EQ(status_line(result.bytes), "HTTP/1.1 413 Payload Too Large") << target;
        EXPECT_NE(result.bytes.find("\"code\":\"body_too_large\""), std::string::npos)
            << result.bytes;
    }
    // Within the check limit, a large announced body is waited for, not refused.
    raw_connection big(daemon->port());
    ASSERT_TRUE(big.send(request_head("/v1/check", 1024 * 1024, "application/json", test_api_key)));
    const auto waiting = big.read_until_closed(std::chrono::milliseconds(200));
    EXPECT_FALSE(waiting.closed);
    EXPECT_EQ(waiting.bytes, "");
}

TEST_F(ConnectionLimits, AnApiRequestWithoutAValidKeyIsRefusedBeforeItsBodyIsRead) {
    // No one without a key may make the daemon wait for, and hold, a body of megabytes.
    const auto daemon = start_daemon();
    for (const std::string key : {"", "not-a-key"}) {
        for (const char* target : {"/v1/check", "/v1/unsubscribe-links"}) {
            raw_connection client(daemon->port());
            ASSERT_TRUE(
                client.send(request_head(target, 8 * 1024 * 1024, "application/json", key)));
            const auto result = client.read_until_closed(std::chrono::seconds(5));
            EXPECT_TRUE(result.closed) << target;
            EXPECT_EQ(status_line(result.bytes), "HTTP/1.1 401 Unauthorized") << result.bytes;
            EXPECT_NE(result.bytes.find("WWW-Authenticate: Bearer"), std::string::npos);
            EXPECT_NE(result.bytes.find("\"code\":\"unauthorized\""), std::string::npos);
        }
    }
}

TEST_F(ConnectionLimits, AKeyWithoutTheRoutesRoleIsRefusedBeforeItsBodyIsRead) {
    // Any key of any role must not make the daemon read a body of megabytes it will refuse.
    // The broadcast key made audit-only: valid, without the role check or admin.
    auto config = default_test_config(redis().url(), key_prefix());
    const std::string check_only = "\", roles: [check] }";
    ASSERT_NE(config.find(check_only), std::string::npos);
    config.replace(config.find(check_only), check_only.size(), "\", roles: [audit] }");
    daemon_process daemon(config);
    ASSERT_TRUE(daemon.wait_until_ready()) << daemon.log_text();
    const std::string audit_only = test_check_only_key;
    // Only the header is sent: the answer comes before the body, which is never sent.
    // PUT /v1/consent needs admin, which its GET (admin or audit) does not: by method too.
    const std::vector<std::pair<std::string, std::string>> cases{
        {"POST", "/v1/check"},
        {"POST", "/v1/unsubscribe-links"},
        {"PUT", "/v1/consent/%2B16515550100"}};
    for (const auto& [method, target] : cases) {
        raw_connection client(daemon.port());
        const std::size_t length = method == "PUT" ? 60 * 1024 : 8 * 1024 * 1024;
        std::string head = request_head(target, length, "application/json", audit_only);
        head.replace(0, 4, method);
        ASSERT_TRUE(client.send(head));
        const auto result = client.read_until_closed(std::chrono::seconds(5));
        EXPECT_TRUE(result.closed) << target;
        EXPECT_EQ(status_line(result.bytes), "HTTP/1.1 403 Forbidden") << result.bytes;
        EXPECT_NE(result.bytes.find("\"code\":\"forbidden\""), std::string::npos) << result.bytes;
    }
    // A client that writes its whole body first still reads the 403 (the rest is discarded).
    EXPECT_TRUE(is_error(daemon.request(api_call("POST", "/v1/check", audit_only,
                                                 std::string(8 * 1024 * 1024, ' '))),
                         403, "forbidden"));
    // The key still reads what its role allows, and a key with the role is read on.
    EXPECT_EQ(daemon.request(api_call("GET", "/v1/consent/%2B16515550100", audit_only)).status,
              200);
    EXPECT_EQ(post_check(daemon, "sms", "district", {"+16515550100"}).status, 200);
}

TEST_F(ConnectionLimits, AClientThatSendsAnOversizedBodyWholeStillReadsTheRefusal) {
    // Most clients write the whole body before they read. The refusal is written as soon as
    // the header is read; the daemon then reads and discards the rest, so the client's write
    // completes and the 413 reaches it instead of a connection reset. Twenty times, as the
    // reset, when it happens, depends on timing.
    const auto daemon = start_daemon();
    http_call call;
    call.method = "POST";
    call.target = sms_path;
    call.headers["Content-Type"] = "application/x-www-form-urlencoded";
    call.body = std::string(8 * 1024 * 1024, 'x');
    for (int attempt = 0; attempt < 20; ++attempt)
        ASSERT_TRUE(is_error(daemon->request(call), 413, "body_too_large")) << attempt;
    EXPECT_EQ(daemon->request(api_call("GET", "/healthz", "")).status, 200);
}

TEST_F(ConnectionLimits, ExpectContinueIsAnsweredOnlyWithinTheLimit) {
    // curl sends "Expect: 100-continue" before a large /v1/check body and waits for the answer.
    const auto daemon = start_daemon();
    const std::string body =
        R"({"channel":"sms","program":"district","recipients":["+16515550100"]})";
    raw_connection client(daemon->port());
    ASSERT_TRUE(client.send("POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                            std::string(test_api_key) +
                            "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                            "Connection: close\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n"));
    const auto interim = client.read_until("\r\n\r\n", std::chrono::seconds(5));
    EXPECT_EQ(interim.bytes, "HTTP/1.1 100 Continue\r\n\r\n");
    ASSERT_TRUE(client.send(body));
    const auto final = client.read_until_closed(std::chrono::seconds(5));
    EXPECT_TRUE(final.closed);
    EXPECT_EQ(status_line(final.bytes), "HTTP/1.1 200 OK");
    EXPECT_NE(final.bytes.find("\"reason\":\"default\""), std::string::npos) << final.bytes;

    raw_connection over(daemon->port());
    ASSERT_TRUE(
        over.send("POST /webhooks/twilio/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  "Content-Type: application/x-www-form-urlencoded\r\n"
                  "Expect: 100-continue\r\nContent-Length: 70000\r\n\r\n"));
    const auto refused = over.read_until_closed(std::chrono::seconds(5));
    EXPECT_TRUE(refused.closed);
    EXPECT_EQ(status_line(refused.bytes), "HTTP/1.1 413 Payload Too Large") << refused.bytes;
}

TEST_F(ConnectionLimits, ConnectionsBeyondTheCapGetA503AndServiceResumesBelowIt) {
    const auto daemon = start_daemon("limits: { max_connections: 2 }\n");
    // Two keep-alive connections that each got an answer: both hold a place. (Until the
    // daemon has noticed that the client of an earlier request closed, that one holds one.)
    std::unique_ptr<raw_connection> first, second;
    auto answered = [&](raw_connection& c) {
        return c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") &&
               status_line(c.read_until("}", std::chrono::seconds(5)).bytes) == "HTTP/1.1 200 OK";
    };
    ASSERT_TRUE(wait_until(
        [&] {
            first = std::make_unique<raw_connection>(daemon->port());
            second = std::make_unique<raw_connection>(daemon->port());
            return answered(*first) && answered(*second);
        },
        std::chrono::seconds(5)));

    const auto over = daemon->request(api_call("GET", "/healthz", ""));
    EXPECT_TRUE(is_error(over, 503, "unavailable"));
    EXPECT_EQ(header_of(over, "retry-after"), "5");
    EXPECT_EQ(header_of(over, "connection"), "close");
    // A STOP over the cap, its whole body sent at once, still reads the 503 (and Twilio
    // retries): what it sent is discarded, not answered with a reset.
    for (int attempt = 0; attempt < 10; ++attempt) {
        auto stop = twilio_post(test_public_url, sms_path, test_twilio_token,
                                sms_fields("+16515550100", district_code, "STOP", message_sid(1)));
        stop.body += "&Padding=" + std::string(4 * 1024 * 1024, 'x');  // past the socket buffers
        EXPECT_TRUE(is_error(daemon->request(stop), 503, "unavailable")) << attempt;
    }

    first.reset();  // one closes: the daemon notices and takes new connections again
    EXPECT_TRUE(
        wait_until([&] { return daemon->request(api_call("GET", "/healthz", "")).status == 200; },
                   std::chrono::seconds(5)));
    EXPECT_TRUE(answered(*second)) << "the connection that stayed is still served";
}

}  // namespace
}  // namespace optgate::testing
