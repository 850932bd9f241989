// The tokens of optgate's one-click unsubscribe links, as they come back in a URL. The input is
// checked three ways: as a token, as the payload of a token signed with the right key (so the
// fuzzer reaches what is checked after the MAC), and as a program and address to issue a
// token for. The format is the one unsubscribe_token.hpp documents.
#include <string>

#include "core/address.hpp"
#include "core/digest.hpp"
#include "core/unsubscribe_token.hpp"
#include "fuzz/fuzz_invariant.hpp"

namespace optgate::fuzz {
namespace {

constexpr std::string_view secret = "fuzz-unsubscribe-links-secret";

unsubscribe_token_issuer& issuer() {
    static unsubscribe_token_issuer instance(secret);
    return instance;
}

void check_verification(std::string_view token, const token_verification& v) {
    FUZZ_INVARIANT(v.target.has_value() == (v.problem == token_problem::none));
    if (v.problem == token_problem::oversized)
        FUZZ_INVARIANT(token.size() > max_unsubscribe_token_length);
    if (!v.target) return;
    FUZZ_INVARIANT(!v.target->program.empty() && v.target->program.size() <= max_program_in_token);
    FUZZ_INVARIANT(normalize_email(v.target->address) == v.target->address);
    // One text per target: the token accepted is the one optgate issues.
    FUZZ_INVARIANT(issuer().issue(*v.target) == token);
}

// `payload` signed as optgate signs it; verification decides from the payload alone.
void check_signed_payload(std::string_view payload) {
    const std::string key = hmac_sha256(secret, "optgate unsubscribe link key v1");
    const std::string token =
        base64url_encode(payload) + "." + base64url_encode(hmac_sha256(key, payload));
    const auto v = verify_unsubscribe_token(secret, token);
    check_verification(token, v);
    token_problem expected = token_problem::none;
    const std::size_t program_size =
        payload.size() >= 2 ? static_cast<unsigned char>(payload[1]) : 0;
    if (payload.size() > max_unsubscribe_token_payload) {
        expected = token_problem::oversized;
    } else if (payload.empty()) {
        expected = token_problem::malformed;
    } else if (payload[0] != unsubscribe_token_version) {
        expected = token_problem::unknown_version;
    } else if (program_size == 0 || payload.size() < 2 + program_size ||
               normalize_email(payload.substr(2 + program_size)) !=
                   payload.substr(2 + program_size)) {
        expected = token_problem::malformed;
    }
    FUZZ_INVARIANT(v.problem == expected);
    if (v.target) {
        FUZZ_INVARIANT(v.target->program == payload.substr(2, program_size));
        FUZZ_INVARIANT(v.target->address == payload.substr(2 + program_size));
    }
}

// "program\naddress": a token is issued exactly for a valid target, and verifies as it.
void check_issue(std::string_view input) {
    const std::string program(take_line(input));
    const unsubscribe_target target{std::string(input), program};
    const auto token = issuer().issue(target);
    const bool valid = !program.empty() && program.size() <= max_program_in_token &&
                       normalize_email(target.address) == target.address;
    FUZZ_INVARIANT(token.has_value() == valid);
    if (!token) return;
    FUZZ_INVARIANT(token->size() <= max_unsubscribe_token_length);
    const auto v = verify_unsubscribe_token(secret, *token);
    FUZZ_INVARIANT(v.problem == token_problem::none && v.target == target);
    // Another secret's links are not ours.
    FUZZ_INVARIANT(verify_unsubscribe_token("another secret", *token).problem ==
                   token_problem::bad_signature);
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const std::string_view input = as_text(data, size);
    check_verification(input, verify_unsubscribe_token(secret, input));
    check_signed_payload(input);
    check_issue(input);
    return 0;
}
