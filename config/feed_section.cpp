#include "config/feed_section.hpp"

#include <algorithm>

#include <boost/url/parse.hpp>

#include "config/program_references.hpp"
#include "config/secret_value.hpp"
#include "core/pem_certificates.hpp"

namespace optgate {
namespace {

using std::filesystem::path;

// A webhook's secret is typed into the receiver too: long enough that it cannot be guessed.
constexpr std::size_t min_secret_length = 32;

bool is_webhook_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// https only: what a webhook carries is families' contacts, and its certificate is verified.
void read_url(const config_node& node, webhook_settings& out) {
    out.url = node.as_string();
    const auto url = boost::urls::parse_absolute_uri(out.url);
    if (!url || url->scheme() != "https" || url->host().empty() || url->has_userinfo() ||
        url->has_fragment())
        node.fail("expected an https:// URL with a host, and without user, password or fragment");
    out.host = url->host_address();  // an IPv6 literal without its brackets
    out.port = url->has_port() ? std::string(url->port()) : "443";
    if (url->has_port() && url->port_number() == 0) node.fail("expected a port from 1 to 65535");
    out.target = url->encoded_path().empty() ? "/" : std::string(url->encoded_path());
    if (url->has_query()) out.target += "?" + std::string(url->encoded_query());
}

std::vector<channel> read_channels(const config_node& node) {
    std::vector<channel> channels;
    for (const auto& item : node.as_list()) {
        const auto c = parse_channel(item.as_string());
        if (!c) item.fail("expected sms, voice or email");
        if (std::find(channels.begin(), channels.end(), *c) != channels.end())
            item.fail("this channel is listed twice");
        channels.push_back(*c);
    }
    if (channels.empty()) node.fail("expected at least one channel: sms, voice or email");
    return channels;
}

// Where the secret was given: `secret`, or `secret_file`.
config_node secret_node(const config_map& fields) {
    const auto inline_secret = fields.find("secret");
    return inline_secret ? *inline_secret : fields.at("secret_file");
}

webhook_settings read_webhook(const config_node& node, const path& base_dir, const settings& out) {
    const config_map fields(
        node, {"name", "url", "secret", "secret_file", "channels", "programs", "ca_file",
               "batch_size", "timeout_seconds", "max_retry_wait_seconds"});
    webhook_settings hook;
    const auto name = fields.at("name");
    hook.name = name.as_string();
    if (!is_webhook_name(hook.name)) name.fail("a webhook name is 1 to 64 of a-z, 0-9, _ and -");
    read_url(fields.at("url"), hook);
    hook.secret = require_secret(fields, "secret", base_dir);
    if (hook.secret.size() < min_secret_length)
        secret_node(fields).fail(
            "expected at least 32 characters (openssl rand -hex 32 makes one)");
    // A receiver knows its secret: shared with another receiver it could forge that one's
    // batches; shared with the unsubscribe links, it could make any family's link.
    for (const auto& other : out.feed.webhooks)
        if (other.secret == hook.secret)
            secret_node(fields).fail("another webhook has this secret");
    if (out.unsubscribe_links && out.unsubscribe_links->secret == hook.secret)
        secret_node(fields).fail("this is unsubscribe_links.secret: each webhook needs its own");
    // Both lists are required: what a receiver gets is written down, never a default.
    hook.channels = read_channels(fields.at("channels"));
    const auto programs = fields.at("programs");
    hook.programs = read_program_list(programs, out);
    if (hook.programs.empty()) programs.fail("expected at least one program");
    if (auto ca = fields.find("ca_file")) {
        hook.ca_file = ca->as_path(base_dir).string();
        // Read as a `<key>_file` secret is (same refusals, naming the key) and parsed now, so
        // that --check-config refuses a file optgated could not start with.
        const std::string pem = *read_secret(fields, "ca", base_dir);
        if (count_pem_certificates(pem) == 0) ca->fail("no PEM certificate in " + hook.ca_file);
    }
    if (auto size = fields.find("batch_size"))
        hook.batch_size = static_cast<std::size_t>(size->as_int(1, 1000));
    if (auto timeout = fields.find("timeout_seconds"))
        hook.timeout = std::chrono::seconds(timeout->as_int(1, 60));
    if (auto wait = fields.find("max_retry_wait_seconds"))
        hook.max_retry_wait = std::chrono::seconds(wait->as_int(1, 3600));
    return hook;
}

}  // namespace

void read_feed(const config_node& node, const path& base_dir, settings& out) {
    const config_map feed(node, {"retention_hours", "webhooks"});
    if (auto hours = feed.find("retention_hours"))
        out.feed.retention_hours = static_cast<int>(hours->as_int(1, 24 * 366));
    const auto webhooks = feed.find("webhooks");
    if (!webhooks || webhooks->yaml().IsNull()) return;
    for (const auto& item : webhooks->as_list()) {
        auto hook = read_webhook(item, base_dir, out);
        for (const auto& other : out.feed.webhooks)
            if (other.name == hook.name) item.fail("another webhook has this name");
        out.feed.webhooks.push_back(std::move(hook));
    }
}

}  // namespace optgate
