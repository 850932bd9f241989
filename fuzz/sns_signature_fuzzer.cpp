// An Amazon SNS message as posted to /webhooks/ses: the JSON envelope, read as
// adapters/http/ses_route.cpp reads it, its string to sign, its signature checked against a
// certificate made at start-up, and its SigningCertURL as the log would show it.
#include <functional>
#include <optional>
#include <string>

#include "adapters/http/json_fields.hpp"
#include "adapters/http/provider_json.hpp"
#include "core/sns_signature.hpp"
#include "fuzz/fuzz_invariant.hpp"
#include "tests/support/test_certificate.hpp"

namespace optgate::fuzz {
namespace {

namespace json = boost::json;

struct signing_keys {
    testing::test_certificate key;
    signing_certificate certificate;
};

const signing_keys& keys() {
    static const signing_keys instance = [] {
        testing::test_certificate key;
        std::string error;
        auto certificate = signing_certificate::from_pem(key.pem(), error);
        if (!certificate) invariant_failed("the test certificate loads", __FILE__, __LINE__);
        return signing_keys{std::move(key), std::move(*certificate)};
    }();
    return instance;
}

void check_string_to_sign(const sns_message& m) {
    const auto type = parse_sns_type(m.type);
    const auto text = sns_string_to_sign(m);
    FUZZ_INVARIANT(type.has_value() == text.has_value());
    if (!text) return;
    FUZZ_INVARIANT(text->ends_with("Type\n" + m.type + "\n"));
    if (m.message) FUZZ_INVARIANT(text->starts_with("Message\n" + *m.message + "\n"));
}

void check_verdict(const sns_message& m) {
    const sns_verdict verdict = verify_sns_signature(m, keys().certificate);
    if (!parse_sns_type(m.type)) {
        FUZZ_INVARIANT(verdict == sns_verdict::unknown_type);
    } else if (m.signature_version != "1" && m.signature_version != "2") {
        FUZZ_INVARIANT(verdict == sns_verdict::unsupported_version);
    } else {
        FUZZ_INVARIANT(verdict == sns_verdict::valid || verdict == sns_verdict::bad_signature);
    }
}

// One message in 64 (chosen by its text, so a crash reproduces) is signed as SNS signs it:
// the signature verifies, and not once the Message is changed. RSA signing is slow; the
// parsing above runs on every input.
void check_real_signature(sns_message m) {
    const auto text = sns_string_to_sign(m);
    if (!text || std::hash<std::string>{}(*text) % 64 != 0) return;
    for (const char* version : {"1", "2"}) {
        testing::sign_sns_message(m, keys().key, version);
        FUZZ_INVARIANT(verify_sns_signature(m, keys().certificate) == sns_verdict::valid);
        sns_message changed = m;
        changed.message = changed.message.value_or("") + "x";
        FUZZ_INVARIANT(verify_sns_signature(changed, keys().certificate) ==
                       sns_verdict::bad_signature);
    }
}

void check_certificate_url(std::string_view url) {
    if (!plausible_sns_certificate_url(url)) return;
    // It is shown in a log line: short, one line, AWS's host, a .pem file.
    FUZZ_INVARIANT(url.size() <= 256 && url.starts_with("https://sns.") && url.ends_with(".pem"));
    FUZZ_INVARIANT(url.find_first_of(" \t\r\n\"%?#@\\") == std::string_view::npos);
    FUZZ_INVARIANT(url.substr(url.find('/', 12)).find("..") == std::string_view::npos);
}

}  // namespace
}  // namespace optgate::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    optgate::fuzz::keys();  // the RSA key once, before the first input
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optgate;
    using namespace optgate::fuzz;
    const auto body = parse_json_object(as_text(data, size));
    if (!body) return 0;
    const sns_message m = read_sns_message(*body);
    check_string_to_sign(m);
    check_verdict(m);
    check_real_signature(m);
    check_certificate_url(string_field(*body, "SigningCertURL"));
    return 0;
}
