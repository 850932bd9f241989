#include "config/settings_loader.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/config_node.hpp"
#include "config/email_section.hpp"
#include "config/feed_section.hpp"
#include "config/program_references.hpp"
#include "config/redis_url.hpp"
#include "config/secret_value.hpp"
#include "config/sms_section.hpp"
#include "config/voice_section.hpp"
#include "core/address.hpp"

namespace optgate {
namespace {

using std::filesystem::path;

// A section that is absent reads as an empty one (map or list), so that its defaults apply.
config_node section(const config_map& root, std::string_view key) {
    if (auto node = root.find(key)) return *node;
    return config_node(YAML::Node(YAML::NodeType::Null), std::string(key), root.node().line());
}

// "host:port" with a numeric address: the daemon binds it, it does not resolve names.
void read_listen(const config_node& node, settings& out) {
    const std::string text = node.as_string();
    const bool v6 = text.starts_with('[');
    const auto split = v6 ? text.find("]:") : text.rfind(':');
    if (split != std::string::npos) {
        const std::string host = v6 ? text.substr(1, split - 1) : text.substr(0, split);
        const std::string_view port = std::string_view(text).substr(split + (v6 ? 2 : 1));
        unsigned char address[16];
        std::uint16_t number = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (inet_pton(v6 ? AF_INET6 : AF_INET, host.c_str(), address) == 1 && ec == std::errc() &&
            end == port.data() + port.size()) {
            out.listen_host = host;
            out.listen_port = number;
            return;
        }
    }
    node.fail("expected \"host:port\" with an IPv4 or [IPv6] address");
}

std::string read_public_url(const config_node& node) {
    std::string url = node.as_string();
    const std::size_t scheme = url.starts_with("https://") ? 8 : url.starts_with("http://") ? 7 : 0;
    // Signatures are computed over public_url + path: a trailing slash would double it.
    while (scheme != 0 && url.size() > scheme && url.ends_with('/')) url.pop_back();
    if (scheme == 0 || url.size() == scheme || url[scheme] == '/' ||
        url.find_first_of("?# \t") != std::string::npos)
        node.fail("expected an http:// or https:// URL without query or fragment");
    return url;
}

sentinel_settings read_sentinel(const config_node& node) {
    const config_map fields(node, {"master", "addresses"});
    sentinel_settings sentinel;
    const config_node master = fields.at("master");
    sentinel.master = master.as_string();
    if (sentinel.master.empty()) master.fail("expected the name the sentinels monitor");
    const config_node addresses = fields.at("addresses");
    for (const auto& item : addresses.as_list()) {
        sentinel_address address;
        if (const auto problem = parse_sentinel_address(item.as_string(), address))
            item.fail(*problem);
        sentinel.addresses.push_back(std::move(address));
    }
    if (sentinel.addresses.empty()) addresses.fail("expected at least one sentinel address");
    return sentinel;
}

void read_redis(const config_node& node, const path& base_dir, settings& out) {
    const config_map redis(node, {"url", "url_file", "key_prefix", "sentinel"});
    const std::string url = require_secret(redis, "url", base_dir);
    if (const auto problem = parse_redis_url(url, out.redis)) {
        const auto inline_url = redis.find("url");
        (inline_url ? *inline_url : redis.at("url_file")).fail(*problem);
    }
    if (auto prefix = redis.find("key_prefix")) out.redis.key_prefix = prefix->as_string();
    // An empty `sentinel:` (every line commented out) is an absent one, as for any section.
    if (auto sentinel = redis.find("sentinel"); sentinel && !sentinel->yaml().IsNull())
        out.redis.sentinel = read_sentinel(*sentinel);
}

void read_journal(const config_node& node, const path& base_dir, settings& out) {
    const config_map journal(node, {"dir", "retention_days"});
    out.journal.dir = journal.at("dir").as_path(base_dir).string();
    if (auto days = journal.find("retention_days"))
        out.journal.retention_days = static_cast<int>(days->as_int(1, 36500));
}

// Program names end up in Redis keys and URLs: keep them to a safe alphabet.
bool is_program_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

void read_programs(const config_node& node, settings& out) {
    const config_map programs(node);
    if (programs.entries().empty()) node.fail("expected at least one program");
    for (const auto& [name, value] : programs.entries()) {
        if (!is_program_name(name)) value.fail("a program name is made of a-z, 0-9, _ and -");
        const config_map fields(value, {"default", "emergency"});
        // An emergency-purpose program is reached only by its own opt-outs (core/opt_out_scope).
        program_settings program{name, consent_state::opted_in, name == "emergency"};
        if (auto state = fields.find("default")) {
            const auto parsed = parse_consent_state(state->as_string());
            if (!parsed) state->fail("expected opted_in or opted_out");
            program.default_state = *parsed;
        }
        if (auto emergency = fields.find("emergency")) program.emergency = emergency->as_bool();
        out.programs.push_back(program);
    }
}

void read_providers(const config_node& node, const path& base_dir, settings& out) {
    const config_map providers(node, {"twilio", "sendgrid", "mailgun", "postmark", "ses"});
    if (auto twilio = providers.find("twilio")) {
        const config_map fields(*twilio, {"auth_token", "auth_token_file", "secondary_auth_token",
                                          "secondary_auth_token_file"});
        out.providers.twilio =
            twilio_settings{require_secret(fields, "auth_token", base_dir),
                            read_secret(fields, "secondary_auth_token", base_dir).value_or("")};
    }
    if (auto sendgrid = providers.find("sendgrid")) {
        const config_map fields(*sendgrid, {"public_key", "public_key_file"});
        auto key = sendgrid_verification_key::parse(require_secret(fields, "public_key", base_dir));
        if (!key) {  // refused here, not on the first webhook: named with the key that gave it
            const auto inline_key = fields.find("public_key");
            (inline_key ? *inline_key : fields.at("public_key_file"))
                .fail(
                    "expected SendGrid's verification key: base64 of an ECDSA P-256 key, "
                    "one line starting MFkw, as the Event Webhook settings show it");
        }
        out.providers.sendgrid = sendgrid_settings{std::move(*key)};
    }
    if (auto mailgun = providers.find("mailgun")) {
        const config_map fields(*mailgun, {"signing_key", "signing_key_file"});
        out.providers.mailgun = mailgun_settings{require_secret(fields, "signing_key", base_dir)};
    }
    if (auto postmark = providers.find("postmark")) {
        const config_map fields(*postmark,
                                {"username", "username_file", "password", "password_file"});
        out.providers.postmark = postmark_settings{require_secret(fields, "username", base_dir),
                                                   require_secret(fields, "password", base_dir)};
    }
    if (auto ses = providers.find("ses")) {
        const config_map fields(*ses, {"topic_arns", "certificate_file"});
        ses_settings ses_config;
        const config_node arns = fields.at("topic_arns");
        for (const auto& item : arns.as_list()) {
            std::string arn = item.as_string();
            if (!arn.starts_with("arn:") || arn.find(":sns:") == std::string::npos)
                item.fail("expected an SNS topic ARN (arn:aws:sns:region:account:topic)");
            ses_config.topic_arns.push_back(std::move(arn));
        }
        if (ses_config.topic_arns.empty()) arns.fail("expected at least one topic ARN");
        const config_node certificate_file = fields.at("certificate_file");
        ses_config.certificate_file = certificate_file.as_path(base_dir).string();
        // Read as a `<key>_file` secret is (same refusals, naming the key), parsed now so that
        // a certificate that does not load refuses the config, at start as on SIGHUP.
        const std::string pem = *read_secret(fields, "certificate", base_dir);
        std::string problem;
        auto certificate = signing_certificate::from_pem(pem, problem);
        if (!certificate) certificate_file.fail(ses_config.certificate_file + ": " + problem);
        ses_config.certificate =
            std::make_shared<const signing_certificate>(std::move(*certificate));
        out.providers.ses = std::move(ses_config);
    }
}

bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

void read_api_keys(const config_node& node, settings& out) {
    for (const auto& item : node.as_list()) {
        const config_map fields(item, {"name", "sha256", "roles"});
        api_key key;
        const config_node name = fields.at("name");
        key.name = name.as_string();
        if (key.name.empty()) name.fail("expected a name");
        const config_node sha256 = fields.at("sha256");
        key.sha256_hex = sha256.as_string();
        refuse_example_placeholder(sha256, key.sha256_hex);
        if (!is_sha256_hex(key.sha256_hex))
            sha256.fail("expected 64 lower-case hex digits, as from: printf %s KEY | sha256sum");
        for (const auto& other : out.api_keys) {
            if (other.name == key.name) name.fail("repeated api key name");
            if (other.sha256_hex == key.sha256_hex) sha256.fail("the same key as " + other.name);
        }
        const config_node roles = fields.at("roles");
        for (const auto& role_node : roles.as_list()) {
            const auto parsed = parse_role(role_node.as_string());
            if (!parsed) role_node.fail("expected check, admin, audit or feed");
            if (!key.has(*parsed)) key.roles.push_back(*parsed);
        }
        if (key.roles.empty()) roles.fail("expected at least one role");
        out.api_keys.push_back(std::move(key));
    }
}

void read_limits(const config_node& node, settings& out) {
    const config_map limits(node,
                            {"max_connections", "request_timeout_seconds", "check_timeout_seconds",
                             "max_check_recipients", "max_unsubscribe_links"});
    if (auto n = limits.find("max_connections"))
        out.limits.max_connections = static_cast<std::size_t>(n->as_int(1, 1'000'000));
    if (auto n = limits.find("request_timeout_seconds"))
        out.limits.request_timeout = std::chrono::seconds(n->as_int(1, 86'400));
    if (auto n = limits.find("check_timeout_seconds"))
        out.limits.check_timeout = std::chrono::seconds(n->as_int(1, 86'400));
    if (auto n = limits.find("max_check_recipients"))
        out.limits.max_check_recipients = static_cast<std::size_t>(n->as_int(1, 10'000'000));
    if (auto n = limits.find("max_unsubscribe_links"))
        out.limits.max_unsubscribe_links = static_cast<std::size_t>(n->as_int(1, 10'000'000));
}

void read_log(const config_node& node, settings& out) {
    const config_map log(node, {"level", "format"});
    if (auto level = log.find("level")) {
        out.log.level = level->as_string();
        constexpr std::string_view levels[] = {"trace", "debug", "info", "warn", "error"};
        if (std::find(std::begin(levels), std::end(levels), out.log.level) == std::end(levels))
            level->fail("expected trace, debug, info, warn or error");
    }
    if (auto format = log.find("format")) {
        const auto text = format->as_string();
        if (text != "text" && text != "json") format->fail("expected text or json");
        out.log.json = text == "json";
    }
}

}  // namespace

settings parse_settings(std::string_view yaml_text, const path& base_dir) {
    YAML::Node document;
    try {
        document = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& e) {
        // yaml-cpp's message names the problem, not the text around it: no secret leaks.
        throw config_error("config: line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    const config_map root(config_node(document, "", 1),
                          {"listen", "public_url", "default_country", "redis", "journal",
                           "programs", "opt_out_scope", "sms", "voice", "email", "providers",
                           "unsubscribe_links", "api_keys", "limits", "log", "feed"});
    settings out;
    // Read in dependency order, whatever the file's order: phone numbers need the country,
    // every program reference needs the programs, and email needs to know its providers.
    read_listen(root.at("listen"), out);
    out.public_url = read_public_url(root.at("public_url"));
    if (auto country = root.find("default_country")) {
        out.default_country = country->as_string();
        if (!is_supported_country(out.default_country))
            country->fail("unsupported country; expected a NANP country code such as US or CA");
    }
    read_redis(root.at("redis"), base_dir, out);
    read_journal(root.at("journal"), base_dir, out);
    read_programs(root.at("programs"), out);
    if (auto scope = root.find("opt_out_scope")) {
        const auto parsed = parse_opt_out_scope(scope->as_string());
        if (!parsed) scope->fail("expected program, channel or all");
        out.opt_out_scope = *parsed;
    }
    read_sms(section(root, "sms"), out);
    read_voice(section(root, "voice"), out);
    read_providers(section(root, "providers"), base_dir, out);
    read_email(section(root, "email"), section(root, "providers"), out);
    if (auto links = root.find("unsubscribe_links")) {
        const config_map fields(*links, {"secret", "secret_file"});
        out.unsubscribe_links =
            unsubscribe_link_settings{require_secret(fields, "secret", base_dir)};
    }
    read_feed(section(root, "feed"), base_dir, out);
    read_api_keys(section(root, "api_keys"), out);
    read_limits(section(root, "limits"), out);
    read_log(section(root, "log"), out);
    return out;
}

settings load_settings(const path& file) {
    // libstdc++ throws from inside the read on a directory: refuse it before opening.
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw config_error("config: cannot read " + file.string() + ": is a directory");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw config_error("config: cannot read " + file.string() + ": " + std::strerror(errno));
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw config_error("config: cannot read " + file.string());
    // Absolute, so that relative paths inside stay right if the daemon changes directory.
    return parse_settings(text, std::filesystem::absolute(file).parent_path());
}

}  // namespace optgate
