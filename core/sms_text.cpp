#include "core/sms_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

namespace optgate {
namespace {

const icu::Normalizer2& nfkc_casefold() {
    static const icu::Normalizer2* instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
        if (U_FAILURE(status) || !n) {
            // ICU's data is linked into the library: without it no text can be read safely.
            std::fprintf(stderr, "optgate: ICU has no NFKC_Casefold data: %s\n",
                         u_errorName(status));
            std::abort();
        }
        return n;
    }();
    return *instance;
}

bool is_word_part(UChar32 c) {
    const auto mask = U_GET_GC_MASK(c);
    // Enclosing marks (the keycap of 1️⃣) draw a symbol around what precedes: not a letter.
    return (mask & (U_GC_L_MASK | U_GC_N_MASK | U_GC_MN_MASK | U_GC_MC_MASK)) != 0;
}

bool is_invisible(UChar32 c) {
    return u_charType(c) == U_FORMAT_CHAR ||
           u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

bool is_mark(UChar32 c) {
    return (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_ME_MASK)) != 0;
}

}  // namespace

std::string sms_words(std::string_view utf8, invisible_characters invisible,
                      combining_marks marks) {
    UErrorCode status = U_ZERO_ERROR;
    // Webhook bodies are far smaller; ICU counts in int32.
    utf8 = utf8.substr(0, std::min<std::size_t>(utf8.size(), INT32_MAX / 2));
    auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    if (invisible == invisible_characters::separate_words) {
        icu::UnicodeString spaced;
        for (std::int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
            const UChar32 c = text.char32At(i);
            spaced.append(is_invisible(c) ? UChar32(' ') : c);
        }
        text = std::move(spaced);
    }
    // NFKC_Casefold also removes default-ignorable code points (ZWSP, ZWJ, BOM, U+2060,
    // variation selectors, soft hyphen, bidi controls).
    icu::UnicodeString folded = nfkc_casefold().normalize(text, status);
    if (U_FAILURE(status)) folded = text;
    folded.toUpper(icu::Locale::getRoot());

    icu::UnicodeString words;
    bool separated = true;  // nothing before the first word
    for (std::int32_t i = 0; i < folded.length(); i = folded.moveIndex32(i, 1)) {
        const UChar32 c = folded.char32At(i);
        if (marks == combining_marks::removed && is_mark(c)) continue;
        if (is_word_part(c)) {
            words.append(c);
            separated = false;
        } else if (is_invisible(c)) {
            continue;  // invisible: a word with a format character inside is still one word
        } else if (!separated) {
            words.append(UChar32(' '));
            separated = true;
        }
    }
    if (separated && words.length() > 0) words.truncate(words.length() - 1);
    std::string out;
    words.toUTF8String(out);
    return out;
}

std::string look_alike_skeleton(std::string_view words) {
    static const USpoofChecker* checker = [] {
        UErrorCode status = U_ZERO_ERROR;
        USpoofChecker* c = uspoof_open(&status);
        if (U_FAILURE(status) || !c) {
            std::fprintf(stderr, "optgate: ICU has no confusables data: %s\n", u_errorName(status));
            std::abort();
        }
        return c;
    }();
    UErrorCode status = U_ZERO_ERROR;
    auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(words.data(), static_cast<std::int32_t>(words.size())));
    text.toUpper(icu::Locale::getRoot());
    icu::UnicodeString skeleton;
    uspoof_getSkeletonUnicodeString(checker, 0, text, skeleton, &status);
    if (U_FAILURE(status)) skeleton = text;
    skeleton.toUpper(icu::Locale::getRoot());  // skeletons may be lower case ("l" for "I")
    std::string out;
    skeleton.toUTF8String(out);
    return out;
}

namespace {

// The Latin letter a visible character's Unicode name says it is ("... LATIN CAPITAL LETTER
// S", "... LATIN SMALL LETTER S", "LATIN LETTER SMALL CAPITAL S"), or 0. Only letters and
// symbols count: an invisible tag character or a combining letter above another shows no
// letter of its own.
char latin_letter_named(UChar32 c) {
    const auto category = U_GET_GC_MASK(c);
    if ((category & (U_GC_L_MASK | U_GC_SO_MASK)) == 0) return 0;
    char name[128];
    UErrorCode status = U_ZERO_ERROR;
    const auto length = u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof name, &status);
    if (U_FAILURE(status) || length < 2) return 0;
    const std::string_view n(name, static_cast<std::size_t>(length));
    const char letter = n.back();
    if (letter < 'A' || letter > 'Z' || n[n.size() - 2] != ' ') return 0;
    const auto stem = n.substr(0, n.size() - 1);
    for (const std::string_view kind :
         {"LATIN CAPITAL LETTER ", "LATIN SMALL LETTER ", "LATIN LETTER SMALL CAPITAL "})
        if (stem.ends_with(kind)) return letter;
    return 0;
}

}  // namespace

std::string as_shown(std::string_view utf8) {
    const auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    icu::UnicodeString out;
    std::vector<UChar32> overridden_run;  // the run under a right-to-left override
    bool overridden = false;
    const auto end_run = [&] {
        for (auto c = overridden_run.rbegin(); c != overridden_run.rend(); ++c) out.append(*c);
        overridden_run.clear();
    };
    for (std::int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        UChar32 c = text.char32At(i);
        if (c == 0x202E) {  // RIGHT-TO-LEFT OVERRIDE
            overridden = true;
            continue;
        }
        if (overridden && c == 0x202C) {  // POP DIRECTIONAL FORMATTING
            end_run();
            overridden = false;
            continue;
        }
        if (c >= 0x80)
            if (const char letter = latin_letter_named(c)) c = letter;
        if (overridden)
            overridden_run.push_back(c);
        else
            out.append(c);
    }
    end_run();
    std::string result;
    out.toUTF8String(result);
    return result;
}

}  // namespace optgate
