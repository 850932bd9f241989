#include "core/sms_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <unicode/localpointer.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
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

bool is_latin(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(c, &status) == USCRIPT_LATIN && U_SUCCESS(status);
}

// A letter with an accent that Unicode composes into one character (Á, Ö, Ñ, Ç) is its base
// letter (A, O, N, C): a Latin one always, one of another script (Cyrillic Ӧ, Greek Ό) when
// `any_script`; everything else is itself.
UChar32 without_accent(UChar32 c, bool any_script) {
    static const icu::Normalizer2* nfd = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
        if (U_FAILURE(status) || !n) {
            std::fprintf(stderr, "optgate: ICU has no NFD data: %s\n", u_errorName(status));
            std::abort();
        }
        return n;
    }();
    icu::UnicodeString decomposition;
    if ((!any_script && !is_latin(c)) || !nfd->getDecomposition(c, decomposition) ||
        decomposition.isEmpty())
        return c;
    return decomposition.char32At(0);
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
        const UChar32 c = without_accent(folded.char32At(i), marks == combining_marks::removed);
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

// The Latin letter a character shows, or 0: by its name, or a regional indicator symbol
// (U+1F1E6..U+1F1FF, A..Z: two make a flag, and a phone without the flag shows the letters).
char latin_letter_shown(UChar32 c) {
    constexpr UChar32 regional_indicator_a = 0x1F1E6, regional_indicator_z = 0x1F1FF;
    if (c >= regional_indicator_a && c <= regional_indicator_z)
        return static_cast<char>('A' + (c - regional_indicator_a));
    return c < 0x80 ? 0 : latin_letter_named(c);
}

// An SMS is at most 1600 characters (ten concatenated segments). ICU's bracket pairing takes
// time quadratic in the brackets left open in a paragraph, so a longer paragraph, never sent
// by a phone, is read in the order sent.
constexpr std::int32_t longest_reordered_paragraph = 4096;  // UTF-16 code units

// One paragraph (no paragraph separator inside) in the order shown, left to right, by ICU's
// bidi algorithm; as sent if ICU cannot reorder it.
void append_shown(icu::UnicodeString& out, UBiDi* bidi, const UChar* paragraph,
                  std::int32_t length) {
    if (length == 0) return;
    if (bidi != nullptr && length <= longest_reordered_paragraph) {
        UErrorCode status = U_ZERO_ERROR;
        // The paragraph's direction is that of its first strong letter, left to right if none.
        ubidi_setPara(bidi, paragraph, length, UBIDI_DEFAULT_LTR, nullptr, &status);
        icu::UnicodeString shown;
        // Nothing is inserted: the reordered paragraph is never longer than the paragraph.
        UChar* const buffer = U_SUCCESS(status) ? shown.getBuffer(length) : nullptr;
        if (buffer != nullptr) {
            // No mirroring: it changes only brackets and other symbols, separators in every
            // reading, and a reading should hold the code points sent. Marks stay after their
            // letters, as they are drawn on them.
            const auto written = ubidi_writeReordered(
                bidi, buffer, shown.getCapacity(),
                UBIDI_REMOVE_BIDI_CONTROLS | UBIDI_KEEP_BASE_COMBINING, &status);
            shown.releaseBuffer(U_SUCCESS(status) ? written : 0);
            if (U_SUCCESS(status)) {
                out.append(shown);
                return;
            }
        }
    }
    out.append(paragraph, length);
}

}  // namespace

std::string as_shown(std::string_view utf8) {
    utf8 = utf8.substr(0, std::min<std::size_t>(utf8.size(), INT32_MAX / 2));
    const auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    const UChar* const units = text.getBuffer();
    // Null if ICU has no memory: every paragraph is then read as sent.
    const icu::LocalUBiDiPointer bidi(ubidi_open());

    // Paragraphs (ended by the separators ICU ends them at: line feeds, carriage returns,
    // U+2029...) are reordered one by one, each with its own direction: an embedding or an
    // override ends with its paragraph, and a paragraph stays below the one above it (ICU
    // reorders a text of several paragraphs as one line).
    icu::UnicodeString visual;
    std::int32_t paragraph = 0;
    for (std::int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        if (u_charDirection(text.char32At(i)) != U_BLOCK_SEPARATOR) continue;
        append_shown(visual, bidi.getAlias(), units + paragraph, i - paragraph);
        visual.append(text.charAt(i));  // a paragraph separator is a single code unit
        paragraph = i + 1;
    }
    append_shown(visual, bidi.getAlias(), units + paragraph, text.length() - paragraph);

    // Letters are read after reordering: the order follows from the characters sent (and
    // none read as a Latin letter has another direction than a Latin letter's).
    icu::UnicodeString out;
    for (std::int32_t i = 0; i < visual.length(); i = visual.moveIndex32(i, 1)) {
        const UChar32 c = visual.char32At(i);
        if (const char letter = latin_letter_shown(c))
            out.append(UChar32(letter));
        else
            out.append(c);
    }
    std::string result;
    out.toUTF8String(result);
    return result;
}

}  // namespace optgate
