// The change feed's webhooks with the real parts: the built daemon POSTs signed batches over
// HTTPS to a receiver on loopback whose certificate a test authority issued, only of the
// channels and programs configured, and keeps delivering, in order and at least once,
// through a receiver that is down, slow and failing, and a restart of optgate; /readyz,
// /metrics and GET /v1/webhooks say how it goes.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.hpp"
#include "tests/support/https_receiver.hpp"
#include "tests/support/temp_dir.hpp"

namespace optgate::testing {
namespace {

using std::chrono::seconds;

constexpr const char* secret = test_webhook_secret;

std::string readyz_webhook_state(const daemon_process& daemon);

class Webhooks : public e2e_test {
  protected:
    test_tls_authority authority_;
    temp_dir dir_{"webhooks"};

    std::string webhook_yaml(std::uint16_t port, const std::string& ca_file) const {
        return test_webhook_yaml(port, ca_file);
    }
    std::string trusted_ca() const { return authority_.write_ca(dir_.path() / "ca.pem").string(); }

    // Two instances of `yaml`: the first delivering the webhook, then the second on standby.
    struct two_instances {
        std::unique_ptr<daemon_process> delivering, standby;
    };
    two_instances start_two(const std::string& yaml) const {
        two_instances out{start_daemon(yaml), nullptr};
        EXPECT_TRUE(wait_until(
            [&] { return readyz_webhook_state(*out.delivering) == "delivering"; }, seconds(10)));
        out.standby = start_daemon(yaml);
        EXPECT_TRUE(wait_until([&] { return readyz_webhook_state(*out.standby) == "standby"; },
                               seconds(10)));
        return out;
    }
};

json::object webhooks_status(const daemon_process& daemon) {
    const auto reply = daemon.request(api_call("GET", "/v1/webhooks", test_api_key));
    EXPECT_EQ(reply.status, 200) << reply.body;
    const auto status = parse_json(reply.body);
    if (!status.is_object()) return {};
    const auto& hooks = status.as_object().at("webhooks").as_array();
    if (hooks.size() != 1) return {};
    auto hook = hooks[0].as_object();
    hook["feed_end"] = status.as_object().at("feed_end");
    return hook;
}

std::string readyz_webhook_state(const daemon_process& daemon) {
    const auto reply = daemon.request(api_call("GET", "/readyz", ""));
    const auto body = parse_json(reply.body);
    if (!body.is_object() || !body.as_object().contains("webhooks")) return "<none>";
    return text_of(body.as_object().at("webhooks").as_object().at("sis").as_object(), "state");
}

// The addresses' states as the receiver last heard them, in the order it heard them.
std::map<std::string, std::vector<std::string>> states_by_address(
    const std::vector<json::object>& changes) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& c : changes) out[text_of(c, "address")].push_back(text_of(c, "to"));
    return out;
}

TEST_F(Webhooks, SignedBatchesOfTheConfiguredChannelsAndProgramsOnly) {
    https_receiver receiver(authority_, secret);
    const auto daemon = start_daemon(webhook_yaml(receiver.port(), trusted_ca()));
    const std::string a = "+16515550121", b = "+16515550122";
    expect_twiml(send_sms(*daemon, a, district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    send_sms(*daemon, b, emergency_code, "STOP", message_sid(2));  // not the receiver's
    expect_twiml(send_sms(*daemon, a, district_code, "START", message_sid(3)),
                 twiml_message(opt_in_reply));
    ASSERT_TRUE(wait_until([&] { return receiver.taken_changes().size() >= 2; }, seconds(10)))
        << daemon->log_text();
    // The emergency STOP came after the first and before the second: once the second is
    // taken, the cursor is past it, and it was never sent.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto taken = receiver.taken_changes();
    ASSERT_EQ(taken.size(), 2u);
    EXPECT_EQ(text_of(taken[0], "address"), a);
    EXPECT_EQ(text_of(taken[0], "to"), "opted_out");
    EXPECT_EQ(text_of(taken[1], "to"), "opted_in");
    for (const auto& change : taken) {
        EXPECT_EQ(text_of(change, "program"), "district");
        EXPECT_EQ(text_of(change, "channel"), "sms");
        EXPECT_EQ(text_of(change, "id").size(), 40u);
        EXPECT_FALSE(text_of(change, "cursor").empty());
    }
    for (const auto& d : receiver.deliveries()) {
        EXPECT_TRUE(d.signature_ok);
        EXPECT_EQ(d.webhook, "sis");
        EXPECT_FALSE(d.gap);
        EXPECT_NEAR(static_cast<double>(d.timestamp), static_cast<double>(now_ms() / 1000), 30);
    }
    // The feed holds all three; the webhook's cursor is at its end, with no lag.
    const auto status = webhooks_status(*daemon);
    EXPECT_EQ(text_of(status, "cursor"), text_of(status, "feed_end"));
    EXPECT_EQ(value_of(status, "lag_seconds").to_number<double>(), 0.0);
    EXPECT_EQ(text_of(status, "url"),
              "https://127.0.0.1:" + std::to_string(receiver.port()) + "/optgate/changes");
    EXPECT_FALSE(value_of(status, "delivered_at").is_null());
    EXPECT_EQ(value_of(status, "failures").to_number<int>(), 0);
    EXPECT_TRUE(value_of(status, "last_error").is_null());
    EXPECT_FALSE(value_of(status, "delivered_by").is_null());
    EXPECT_EQ(readyz_webhook_state(*daemon), "delivering");
}

TEST_F(Webhooks, EverythingArrivesInOrderThroughAReceiverDownSlowAndFailingAndARestart) {
    https_receiver receiver(authority_, secret);
    receiver.go_down();
    auto daemon = start_daemon(webhook_yaml(receiver.port(), trusted_ca()));
    std::vector<std::string> families;
    unsigned sid = 0;
    const auto stop_and_start = [&](const std::string& family) {
        expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(++sid)),
                     twiml_message(opt_out_reply));
        expect_twiml(send_sms(*daemon, family, district_code, "START", message_sid(++sid)),
                     twiml_message(opt_in_reply));
        expect_twiml(send_sms(*daemon, family, district_code, "STOP", message_sid(++sid)),
                     twiml_message(opt_out_reply));
    };
    for (int i = 0; i < 3; ++i) {
        families.push_back("+1651555013" + std::to_string(i));
        stop_and_start(families.back());
    }
    // Down: the gate still answers at once, and is ready; the webhook is reported failing.
    EXPECT_EQ(value_of(check_one(*daemon, families[0]), "allowed"), json::value(false));
    ASSERT_TRUE(wait_until([&] { return readyz_webhook_state(*daemon) == "failing"; }, seconds(10)))
        << daemon->log_text();
    EXPECT_EQ(daemon->request(api_call("GET", "/readyz", "")).status, 200);
    const auto metrics = daemon->request(api_call("GET", "/metrics", "")).body;
    EXPECT_NE(metrics.find("optgate_webhook_delivering{webhook=\"sis\"} 1"), std::string::npos);
    EXPECT_EQ(metrics.find("optgate_webhook_failures{webhook=\"sis\"} 0"), std::string::npos);
    const auto failing = webhooks_status(*daemon);
    EXPECT_NE(text_of(failing, "last_error").find("connect"), std::string::npos);
    EXPECT_GE(value_of(failing, "failures").to_number<int>(), 1);

    // Slow (answers after optgate's 1 s timeout), then 500: still nothing taken.
    receiver.behave(https_receiver::behaviour::slow, std::chrono::milliseconds(1500));
    receiver.come_up();
    ASSERT_TRUE(wait_until([&] { return receiver.posts() >= 1; }, seconds(20)));
    receiver.behave(https_receiver::behaviour::fail);
    ASSERT_TRUE(wait_until([&] { return receiver.posts() >= 2; }, seconds(20)));
    EXPECT_TRUE(receiver.taken_changes().empty());
    EXPECT_TRUE(wait_until(
        [&] { return text_of(webhooks_status(*daemon), "last_error") == "answered HTTP 500"; },
        seconds(5)));

    // optgate restarts while the receiver fails; more changes come after the restart.
    ASSERT_EQ(daemon->stop(), 0);
    daemon->start();
    ASSERT_TRUE(daemon->wait_until_ready());
    families.push_back("+16515550139");
    stop_and_start(families.back());
    receiver.behave(https_receiver::behaviour::take);
    const std::size_t expected = 3 * families.size();
    ASSERT_TRUE(
        wait_until([&] { return receiver.taken_changes().size() >= expected; }, seconds(40)))
        << daemon->log_text();

    // Every change at least once, each address's in the order they happened; by id, none
    // missing.
    const auto taken = receiver.taken_changes();
    std::set<std::string> ids;
    for (const auto& c : taken) ids.insert(text_of(c, "id"));
    EXPECT_EQ(ids.size(), expected);
    for (const auto& [address, states] : states_by_address(taken)) {
        ASSERT_GE(states.size(), 3u) << address;
        EXPECT_EQ(states.back(), "opted_out") << address;
        for (std::size_t i = 1; i < states.size(); ++i)
            EXPECT_NE(states[i], states[i - 1]) << address << ": out of order or repeated";
    }
    for (const auto& d : receiver.deliveries()) EXPECT_TRUE(d.signature_ok);
    ASSERT_TRUE(
        wait_until([&] { return readyz_webhook_state(*daemon) == "delivering"; }, seconds(5)));
    const auto recovered = webhooks_status(*daemon);
    EXPECT_EQ(value_of(recovered, "failures").to_number<int>(), 0);
    EXPECT_FALSE(value_of(recovered, "last_error").is_null());  // kept, with its time
    EXPECT_EQ(text_of(recovered, "cursor"), text_of(recovered, "feed_end"));
}

TEST_F(Webhooks, AReceiverWhoseCertificateIsNotTrustedGetsNothing) {
    https_receiver receiver(authority_, secret);
    const test_tls_authority stranger("another CA");
    const auto other_ca = stranger.write_ca(dir_.path() / "other.pem").string();
    const auto daemon = start_daemon(webhook_yaml(receiver.port(), other_ca));
    expect_twiml(send_sms(*daemon, "+16515550141", district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    ASSERT_TRUE(wait_until(
        [&] { return value_of(webhooks_status(*daemon), "failures").to_number<int>() >= 1; },
        seconds(10)));
    EXPECT_NE(text_of(webhooks_status(*daemon), "last_error").find("TLS handshake"),
              std::string::npos);
    EXPECT_EQ(receiver.posts(), 0u);
    // The log says what failed, never whose change it was.
    EXPECT_EQ(daemon->log_text().find("6515550141"), std::string::npos);
}

TEST_F(Webhooks, TwoInstancesDeliverOnceAndTheOtherTakesOverWhenOneIsKilled) {
    https_receiver receiver(authority_, secret);
    auto [first, second] = start_two(webhook_yaml(receiver.port(), trusted_ca()));
    ASSERT_FALSE(HasFailure());
    expect_twiml(send_sms(*second, "+16515550151", district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    ASSERT_TRUE(wait_until([&] { return receiver.taken_changes().size() == 1; }, seconds(10)));
    first->kill9();
    expect_twiml(send_sms(*second, "+16515550152", district_code, "STOP", message_sid(2)),
                 twiml_message(opt_out_reply));
    // The killed instance's lease lapses (15 s at most) and the other delivers from its cursor.
    ASSERT_TRUE(wait_until([&] { return receiver.taken_changes().size() >= 2; }, seconds(30)))
        << second->log_text();
    EXPECT_EQ(readyz_webhook_state(*second), "delivering");
    const auto taken = receiver.taken_changes();
    EXPECT_EQ(text_of(taken.back(), "address"), "+16515550152");
}

// A clean stop (an upgrade, a restart) gives the lease up: the other instance delivers at its
// next look (a third of a lease, 5 s), not after the lease lapses (11 to 15 s after the stop,
// by when the test has failed).
TEST_F(Webhooks, AnInstanceStoppedCleanlyHandsItsWebhooksOverAtOnce) {
    https_receiver receiver(authority_, secret);
    auto [first, second] = start_two(webhook_yaml(receiver.port(), trusted_ca()));
    ASSERT_FALSE(HasFailure());
    ASSERT_EQ(first->stop(), 0);
    EXPECT_NE(first->log_text().find("webhook sis: lease given up; another instance takes over"),
              std::string::npos)
        << first->log_text();
    expect_twiml(send_sms(*second, "+16515550153", district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    ASSERT_TRUE(wait_until([&] { return receiver.taken_changes().size() == 1; }, seconds(9)))
        << second->log_text();
    EXPECT_EQ(readyz_webhook_state(*second), "delivering");
}

// A receiver that holds its answer (up to the webhook's timeout_seconds, 60 at most) does not
// hold up a clean stop, which systemd would end with a SIGKILL after 30 s: the POST is cut
// short, counted neither as delivered nor as failed, and the batch goes again after the
// restart.
TEST_F(Webhooks, AStopDoesNotWaitForAReceiverHoldingItsAnswer) {
    https_receiver receiver(authority_, secret);
    receiver.behave(https_receiver::behaviour::slow, seconds(60));
    auto yaml = webhook_yaml(receiver.port(), trusted_ca());
    const std::string one_second = "timeout_seconds: 1\n";
    yaml.replace(yaml.find(one_second), one_second.size(), "timeout_seconds: 30\n");
    auto daemon = start_daemon(yaml);
    expect_twiml(send_sms(*daemon, "+16515550161", district_code, "STOP", message_sid(1)),
                 twiml_message(opt_out_reply));
    ASSERT_TRUE(wait_until([&] { return receiver.posts() == 1; }, seconds(10)))
        << daemon->log_text();
    const auto stopping = std::chrono::steady_clock::now();
    ASSERT_EQ(daemon->stop(), 0) << daemon->log_text();
    EXPECT_LT(std::chrono::steady_clock::now() - stopping, seconds(5));
    EXPECT_EQ(daemon->log_text().find("webhook sis: POST"), std::string::npos)
        << daemon->log_text();

    receiver.behave(https_receiver::behaviour::take);
    daemon->start();
    ASSERT_TRUE(wait_until([&] { return receiver.taken_changes().size() == 1; }, seconds(10)))
        << daemon->log_text();
    EXPECT_EQ(text_of(receiver.taken_changes().front(), "address"), "+16515550161");
    EXPECT_EQ(receiver.posts(), 2u);
}

// An instance whose feed.webhooks differs (a config changed on one instance only) says so:
// the other delivers what its own config says, not what this one's does.
TEST_F(Webhooks, AnInstanceConfiguredDifferentlyFromTheDeliveringOneSaysSo) {
    https_receiver receiver(authority_, secret);
    const auto yaml = webhook_yaml(receiver.port(), trusted_ca());
    auto first = start_daemon(yaml);
    ASSERT_TRUE(
        wait_until([&] { return readyz_webhook_state(*first) == "delivering"; }, seconds(10)));
    auto wider = yaml;
    wider.replace(wider.find("programs: [district]"), 20, "programs: [district, emergency]");
    auto second = start_daemon(wider);
    ASSERT_TRUE(
        wait_until([&] { return readyz_webhook_state(*second) == "config_differs"; }, seconds(10)))
        << second->log_text();
    EXPECT_NE(second->log_text().find("give every instance the same feed.webhooks"),
              std::string::npos);
    auto same = start_daemon(yaml);
    ASSERT_TRUE(wait_until([&] { return readyz_webhook_state(*same) == "standby"; }, seconds(10)));
}

}  // namespace
}  // namespace optgate::testing
