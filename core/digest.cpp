#include "core/digest.hpp"

#include <algorithm>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/hmac_signer.hpp"

namespace optgate {
namespace {

// The MAC of `message` under `key`. Each thread keeps a signer for the last few (digest,
// key) pairs it used: the keys are the config's few secrets (a provider's token, a signing
// key), each used for every webhook of its provider, so a signature costs the hash alone.
std::string hmac(std::string_view digest, std::string_view key, std::string_view message) {
    struct keyed {
        std::string digest, key;
        hmac_signer signer;
    };
    constexpr std::size_t kept = 8;           // more than a config holds
    thread_local std::vector<keyed> signers;  // the most recently used last
    auto it = std::find_if(signers.begin(), signers.end(),
                           [&](const keyed& k) { return k.digest == digest && k.key == key; });
    if (it == signers.end()) {
        if (signers.size() == kept) signers.erase(signers.begin());
        signers.push_back({std::string(digest), std::string(key), hmac_signer(digest, key)});
    } else if (it + 1 != signers.end()) {
        std::rotate(it, it + 1, signers.end());
    }
    return signers.back().signer.sign(message);
}

constexpr std::string_view b64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view b64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view raw, bool url) {
    const auto alphabet = url ? b64url_alphabet : b64_alphabet;
    const std::size_t tail = raw.size() % 3;
    std::string out(raw.size() / 3 * 4 + (tail == 0 ? 0 : url ? tail + 1 : 4), '=');
    char* o = out.data();
    std::size_t i = 0;
    for (; i + 2 < raw.size(); i += 3) {
        const unsigned v = (unsigned char)raw[i] << 16 | (unsigned char)raw[i + 1] << 8 |
                           (unsigned char)raw[i + 2];
        *o++ = alphabet[v >> 18];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = alphabet[(v >> 6) & 63];
        *o++ = alphabet[v & 63];
    }
    if (tail != 0) {  // the rest, and for base64 its padding (already '=')
        const unsigned v =
            (unsigned char)raw[i] << 16 | (tail == 2 ? (unsigned char)raw[i + 1] << 8 : 0);
        *o++ = alphabet[v >> 18];
        *o++ = alphabet[(v >> 12) & 63];
        if (tail == 2) *o++ = alphabet[(v >> 6) & 63];
    }
    return out;
}

std::optional<std::string> decode(std::string_view text, bool url) {
    if (!url) {
        if (text.size() % 4 != 0) return std::nullopt;
        while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    }
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    for (char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == (url ? '-' : '+'))
            v = 62;
        else if (c == (url ? '_' : '/'))
            v = 63;
        else
            return std::nullopt;
        acc = (acc << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(char((acc >> bits) & 0xff));
        }
    }
    if (bits >= 6) return std::nullopt;  // a lone trailing symbol carries no whole byte
    return out;
}

}  // namespace

std::string hmac_sha1(std::string_view key, std::string_view message) {
    return hmac("SHA1", key, message);
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    return hmac("SHA256", key, message);
}

static std::string digest(const EVP_MD* md, std::string_view message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(message.data(), message.size(), out, &len, md, nullptr);
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string sha256(std::string_view message) {
    return digest(EVP_sha256(), message);
}
std::string sha1(std::string_view message) {
    return digest(EVP_sha1(), message);
}

std::string to_hex(std::string_view raw) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(raw.size() * 2);
    for (unsigned char c : raw) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::string base64_encode(std::string_view raw) {
    return encode(raw, false);
}
std::string base64url_encode(std::string_view raw) {
    return encode(raw, true);
}
std::optional<std::string> base64_decode(std::string_view text) {
    return decode(text, false);
}
std::optional<std::string> base64url_decode(std::string_view text) {
    return decode(text, true);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace optgate
