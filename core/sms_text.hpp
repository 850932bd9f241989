// The words of an inbound text as the keyword rules read them: Unicode-normalised with ICU,
// so that no spelling a phone can produce hides a keyword (full width, invisible characters,
// emoji glued to the word, any script's spaces and punctuation).
#pragma once

#include <string>
#include <string_view>

namespace optgate {

// The text's words, upper case, separated by single ASCII spaces, nothing before or after:
// - NFKC with case folding: full-width and other compatibility forms become their plain
//   letters (U+FF33 is "S"), "ß" is "SS";
// - default-ignorable and format characters are removed, not turned into separators:
//   zero-width spaces and joiners, byte-order marks, word joiners, variation selectors, bidi
//   controls, soft hyphens (so "ST\u200BOP" is "STOP");
// - a Latin letter with an accent that Unicode composes into one character is its base
//   letter: "NO MÁS" (typed composed or decomposed) is "NO MAS", "STÖP" is "STOP"; letters
//   without a canonical decomposition ("Ø", "Ł") and letters of other scripts stay as they are;
// - a word is a run of letters, combining marks and digits; everything else (every Unicode
//   space, punctuation mark, symbol, emoji, control character) separates words.
// Invalid UTF-8 is read with U+FFFD (a separator) for each bad sequence.
//
// `invisible` says what the invisible characters are: removed (the default, as SPEC says:
// "ST\u200BOP" is STOP), or separators, for a second reading of a text where a phone put a
// zero-width space between two words ("STOP\u200Bplease" is then "STOP PLEASE").
//
// `marks` says what a combining mark that NFKC did not compose into a letter is: part of
// the word (the default: keywords are compared as spelled), or removed, for a reading that
// only looks for opt-outs, which also reads the accented letters of every script without
// their accents (Cyrillic "ЅТӦР" is "ЅТОР", a look-alike of STOP): underlined or struck-through
// letters from "fancy text" keyboards
// ("S\u0332T\u0332O\u0332P\u0332"), circled ones ("S\u20DDT\u20DDO\u20DDP\u20DD") and the
// Turkish dotted capital I (casefolded to "i\u0307": "UNSUBSCR\u0130BE") are read without them.
enum class invisible_characters { removed, separate_words };
enum class combining_marks { kept, removed };
std::string sms_words(std::string_view utf8,
                      invisible_characters invisible = invisible_characters::removed,
                      combining_marks marks = combining_marks::kept);

// `words` (as sms_words writes them) with every letter replaced by the one it is meant to be
// confused with, by Unicode's confusables (UTS #39 skeletons, ICU's spoof checker), upper
// case: Cyrillic "ЅТОР", Greek "ΕΝD" and "ST0P" with a zero are "STOP", "END", "STOP"; so is
// "STOP" itself. Two texts look alike when their skeletons are equal.
std::string look_alike_skeleton(std::string_view words);

// The text as a phone shows it, for a reading that only looks for opt-outs:
// - in the order shown, left to right, by Unicode's bidi algorithm (ICU's ubidi): each
//   paragraph (up to a line feed, carriage return or other paragraph separator, which stays
//   where it is) takes the direction of its first strong letter, left to right if it has
//   none; explicit embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069, nested
//   or left open) and right-to-left letters are applied, and those controls and the marks
//   U+200C..U+200F are removed: "\u202Epots\u202C please" is "stop please". Combining marks
//   stay after their letters; brackets are not mirrored. A paragraph longer than 4096 UTF-16
//   code units (an SMS has at most 1600 characters), or one ICU fails on, stays as sent;
// - then a character that Unicode names a Latin letter, whatever its decoration, is that
//   letter in upper case though NFKC maps it to none (small capitals "LATIN LETTER SMALL
//   CAPITAL T", the squared "NEGATIVE SQUARED LATIN CAPITAL LETTER S" of "fancy text"
//   keyboards), and a regional indicator symbol (U+1F1E6..U+1F1FF, two of them a flag) is
//   its letter A..Z: "🇸🇹🇴🇵" is "STOP", "🇺🇸" is "US".
// Everything else is kept as it is; invalid UTF-8 becomes U+FFFD. Never throws but for memory.
std::string as_shown(std::string_view utf8);

}  // namespace optgate
