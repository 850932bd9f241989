#include "core/unsubscribe_token.hpp"

#include "core/address.hpp"
#include "core/digest.hpp"

namespace optgate {
namespace {

// The MAC key is derived rather than the secret used as is, so that the secret could sign
// something else one day without a signature of one being valid for the other.
std::string token_key(std::string_view secret) {
    return hmac_sha256(secret, "optgate unsubscribe link key v1");
}

// base64url as issued: decoding and encoding again gives the same text (no stray bits).
std::optional<std::string> decode_canonical(std::string_view text) {
    auto raw = base64url_decode(text);
    if (!raw || base64url_encode(*raw) != text) return std::nullopt;
    return raw;
}

token_verification refused(token_problem problem) {
    return {std::nullopt, problem};
}

}  // namespace

unsubscribe_token_issuer::unsubscribe_token_issuer(std::string_view secret)
    : signer_("SHA256", token_key(secret)) {}

std::optional<std::string> unsubscribe_token_issuer::issue(const unsubscribe_target& target) {
    const auto& [address, program] = target;
    if (program.empty() || program.size() > max_program_in_token) return std::nullopt;
    if (normalize_email(address) != address) return std::nullopt;
    std::string payload;
    payload.reserve(2 + program.size() + address.size());
    payload.push_back(unsubscribe_token_version);
    payload.push_back(static_cast<char>(program.size()));
    payload += program;
    payload += address;
    return base64url_encode(payload) + "." + base64url_encode(signer_.sign(payload));
}

std::string_view to_string(token_problem p) {
    switch (p) {
        case token_problem::none:
            return "none";
        case token_problem::oversized:
            return "oversized";
        case token_problem::malformed:
            return "malformed";
        case token_problem::bad_signature:
            return "bad_signature";
        case token_problem::unknown_version:
            return "unknown_version";
    }
    return "unknown";
}

token_verification verify_unsubscribe_token(std::string_view secret, std::string_view token) {
    if (token.size() > max_unsubscribe_token_length) return refused(token_problem::oversized);
    const auto dot = token.find('.');
    if (dot == std::string_view::npos) return refused(token_problem::malformed);
    const auto payload = decode_canonical(token.substr(0, dot));
    const auto mac = decode_canonical(token.substr(dot + 1));
    if (!payload || !mac || payload->empty()) return refused(token_problem::malformed);
    if (!constant_time_equal(*mac, hmac_sha256(token_key(secret), *payload)))
        return refused(token_problem::bad_signature);
    // Signed with our key: a version we do not know comes from a newer optgate; refuse it
    // rather than guess at its layout.
    if ((*payload)[0] != unsubscribe_token_version) return refused(token_problem::unknown_version);
    if (payload->size() < 2) return refused(token_problem::malformed);
    const std::size_t program_size = static_cast<unsigned char>((*payload)[1]);
    if (program_size == 0 || payload->size() < 2 + program_size)
        return refused(token_problem::malformed);
    unsubscribe_target target{payload->substr(2 + program_size), payload->substr(2, program_size)};
    if (normalize_email(target.address) != target.address) return refused(token_problem::malformed);
    return {std::move(target), token_problem::none};
}

}  // namespace optgate
