// The daemon's configuration as one plain, validated value. Built only by load_settings
// (settings_loader.hpp); every option is documented in config/optgate.example.yaml.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/consent.hpp"
#include "core/opt_out_scope.hpp"
#include "core/sendgrid_signature.hpp"
#include "core/signing_certificate.hpp"
#include "core/twilio_sms.hpp"
#include "core/voice_menu.hpp"

namespace optgate {

struct program_settings {
    std::string name;
    consent_state default_state = consent_state::opted_in;
    // Emergency-purpose (FCC 16-88): reached only by an opt-out of its own, never by a wider
    // opt_out_scope. Default: true for the program named "emergency".
    bool emergency = false;
};

struct sentinel_address {
    std::string host;
    std::uint16_t port = 0;
    friend bool operator==(const sentinel_address&, const sentinel_address&) = default;
};

// Redis Sentinel: the master is whatever the sentinels say it is, asked before each connect.
struct sentinel_settings {
    std::string master;                       // the name the sentinels monitor
    std::vector<sentinel_address> addresses;  // asked in this order; at least one
    friend bool operator==(const sentinel_settings&, const sentinel_settings&) = default;
};

struct redis_settings {
    std::string host = "127.0.0.1";  // not used when sentinel is set
    std::uint16_t port = 6379;       // not used when sentinel is set
    int database = 0;
    std::string username;  // from the URL's userinfo, for Redis 6 ACLs; may be empty
    std::string password;  // from the URL's userinfo; may be empty
    std::string key_prefix = "optgate:";
    std::optional<sentinel_settings> sentinel;
    friend bool operator==(const redis_settings&, const redis_settings&) = default;
};

struct journal_settings {
    std::string dir;
    int retention_days = 7;  // applied segments older than this are removed
    friend bool operator==(const journal_settings&, const journal_settings&) = default;
};

// One of the district's own systems that the change feed is POSTed to (feed.webhooks).
struct webhook_settings {
    std::string name;    // a-z, 0-9, _ and -: names its cursor and lease in Redis
    std::string url;     // https://host[:port]/path[?query], as configured
    std::string host;    // for the connection, SNI and the certificate's name
    std::string port;    // "443" unless the URL says otherwise
    std::string target;  // the URL's path and query
    std::string secret;  // signs each POST (core/webhook_signature.hpp)
    std::vector<optgate::channel> channels;  // the only channels it is sent
    std::vector<std::string> programs;       // the only programs it is sent
    std::string ca_file;  // PEM of the certificate authorities it trusts; empty: the system's
    std::size_t batch_size = 100;      // changes per POST, at most
    std::chrono::seconds timeout{10};  // a whole POST, connect to answer
    // The longest wait between two attempts at a failed batch (the backoff doubles up to it).
    std::chrono::seconds max_retry_wait{300};
    friend bool operator==(const webhook_settings&, const webhook_settings&) = default;
};

struct feed_settings {
    int retention_hours = 24 * 7;  // how long the change feed keeps a change
    std::vector<webhook_settings> webhooks;
    friend bool operator==(const feed_settings&, const feed_settings&) = default;
};

struct email_settings {
    std::vector<std::string> unsubscribe_programs;
    std::map<std::string, std::string> groups;  // SendGrid ASM group id -> program
};

struct twilio_settings {
    std::string auth_token;
    // During a rotation, the account's other token: a signature by either is accepted, so
    // promoting a token in Twilio's console refuses nothing. Empty outside a rotation.
    std::string secondary_auth_token;
};
struct sendgrid_settings {
    // Parsed from public_key (base64 DER SubjectPublicKeyInfo) when the config loads.
    sendgrid_verification_key verification_key;
};
struct mailgun_settings {
    std::string signing_key;
};
struct postmark_settings {
    std::string username;
    std::string password;
};
struct ses_settings {
    std::vector<std::string> topic_arns;
    std::string certificate_file;
    // Loaded from certificate_file with the config (at start and on SIGHUP), never fetched.
    std::shared_ptr<const signing_certificate> certificate;
};

struct provider_settings {
    std::optional<twilio_settings> twilio;
    std::optional<sendgrid_settings> sendgrid;
    std::optional<mailgun_settings> mailgun;
    std::optional<postmark_settings> postmark;
    std::optional<ses_settings> ses;
};

struct unsubscribe_link_settings {
    std::string secret;
};

// Limits on what comes from the network (SPEC: HTTP interface).
struct limit_settings {
    std::size_t max_connections = 1024;
    std::chrono::seconds request_timeout{15};  // a whole webhook request, read to written
    std::chrono::seconds check_timeout{120};   // a /v1/check of up to 64 MiB
    // How many addresses one request may name, whatever its body's size: what it may make
    // optgate allocate grows with the count (SPEC: at least 1,000,000 in one check).
    std::size_t max_check_recipients = 1'000'000;
    std::size_t max_unsubscribe_links = 1'000'000;
    friend bool operator==(const limit_settings&, const limit_settings&) = default;
};

struct log_settings {
    std::string level = "info";  // trace, debug, info, warn, error
    bool json = false;           // one JSON object per line, for log shippers
};

struct settings {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::string public_url;  // no trailing slash
    std::string default_country = "US";
    redis_settings redis;
    journal_settings journal;
    feed_settings feed;
    std::vector<program_settings> programs;  // in config order
    optgate::opt_out_scope opt_out_scope =
        optgate::opt_out_scope::program;  // how far an opt-out by phone reaches
    sms_policy sms;                       // short codes, keywords, replies
    voice_policy voice;                   // hotlines, programs, prompts
    email_settings email;
    provider_settings providers;
    std::optional<unsubscribe_link_settings> unsubscribe_links;
    std::vector<api_key> api_keys;
    limit_settings limits;
    log_settings log;

    const program_settings* find_program(const std::string& name) const;
};

}  // namespace optgate
