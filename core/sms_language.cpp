#include "core/sms_language.hpp"

#include <unicode/locid.h>

namespace optgate {

sms_language english_sms_language() {
    return {
        "en",
        {"CANCEL", "END", "QUIT", "REMOVE"},
        {"STOP", "UNSUBSCRIBE", "REVOKE", "OPTOUT", "OPT OUT"},
        {"STOPALL", "STOP ALL"},
        {"START", "YES", "UNSTOP"},
        {"HELP", "INFO"},
        {"District messages: you will get no more texts from this number. Reply START to "
         "resubscribe.",
         "District messages: you will get texts from this number again. Reply STOP to "
         "unsubscribe.",
         "District messages. Reply STOP to unsubscribe, START to resubscribe."},
    };
}

sms_language spanish_sms_language() {
    // "Alto" is also "tall" (and Palo Alto a place) and "parar" an infinitive a sentence may
    // use for anything else: in a longer message they count all the same, as STOP does in
    // English (a family that did not mean it can text INICIAR), and so do the phrases
    // families write ("pare de enviarme mensajes", "darme de baja", "no más mensajes",
    // "cancelar suscripción"). CANCELAR, BAJA, NO MAS, PARE, PAREN and BASTA count only alone,
    // as CANCEL does: "¿van a cancelar las clases?", "no más de dos" and "Mrs. Paré" change
    // nothing.
    return {
        "es",
        {"CANCELAR", "BAJA", "NO MAS", "PARE", "PAREN", "BASTA"},
        {"ALTO", "PARAR", "DETENER", "DETENGAN", "DETEN", "DE BAJA", "PARE DE", "PAREN DE",
         "NO MAS MENSAJES", "CANCELAR SUSCRIPCION"},
        {},
        {"INICIAR", "COMENZAR", "ALTA"},
        {"AYUDA"},
        {"Mensajes del distrito: ya no recibirá mensajes de texto de este número. Responda "
         "INICIAR para volver a recibirlos.",
         "Mensajes del distrito: volverá a recibir mensajes de texto de este número. Responda "
         "ALTO para no recibirlos más.",
         "Mensajes del distrito. Responda ALTO para no recibir más mensajes, INICIAR para "
         "volver a recibirlos."},
    };
}

std::vector<sms_language> built_in_sms_languages() {
    return {english_sms_language(), spanish_sms_language()};
}

std::optional<std::string> canonical_language_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 64) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    const auto locale = icu::Locale::forLanguageTag(
        icu::StringPiece(tag.data(), static_cast<std::int32_t>(tag.size())), status);
    if (U_FAILURE(status) || locale.isBogus() || std::string_view(locale.getLanguage()).empty())
        return std::nullopt;
    std::string out = locale.toLanguageTag<std::string>(status);
    if (U_FAILURE(status) || out.empty() || out == "und") return std::nullopt;
    return out;
}

}  // namespace optgate
