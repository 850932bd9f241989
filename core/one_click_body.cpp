#include "core/one_click_body.hpp"

#include <algorithm>
#include <string>

namespace optgate {
namespace {

constexpr std::string_view crlf = "\r\n";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

// "type/subtype; a=1; b=\"two\"": the part before the first ';', trimmed.
std::string_view media_type(std::string_view header_value) {
    return trim(header_value.substr(0, header_value.find(';')));
}

// The value of parameter `name` in a header value such as the above, unquoted (RFC 7578
// names and boundaries need no backslash escapes); nullopt when absent.
std::optional<std::string_view> header_parameter(std::string_view header_value,
                                                 std::string_view name) {
    auto rest = header_value.substr(std::min(header_value.find(';'), header_value.size()));
    while (!rest.empty()) {
        rest.remove_prefix(1);  // the ';'
        const auto end = rest.find(';');
        auto param = trim(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        const auto eq = param.find('=');
        if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), name)) continue;
        auto value = trim(param.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        return value;
    }
    return std::nullopt;
}

// The form field name of a part from its header block (lines separated by CRLF).
std::optional<std::string_view> part_field_name(std::string_view headers) {
    while (!headers.empty()) {
        const auto end = headers.find(crlf);
        const auto line = headers.substr(0, end);
        headers = end == std::string_view::npos ? std::string_view{} : headers.substr(end + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos ||
            !iequals(trim(line.substr(0, colon)), "Content-Disposition"))
            continue;
        const auto value = line.substr(colon + 1);
        if (!iequals(media_type(value), "form-data")) return std::nullopt;
        return header_parameter(value, "name");
    }
    return std::nullopt;
}

}  // namespace

std::optional<form_fields> parse_multipart_form(std::string_view boundary, std::string_view body) {
    if (boundary.empty() || boundary.size() > 70) return std::nullopt;  // RFC 2046's bound
    const std::string delimiter = "--" + std::string(boundary);
    const std::string next_delimiter = std::string(crlf) + delimiter;
    // A preamble before the first delimiter is allowed and ignored.
    std::size_t pos = body.starts_with(delimiter) ? 0 : body.find(next_delimiter);
    if (pos == std::string_view::npos) return std::nullopt;
    pos += body.starts_with(delimiter) ? delimiter.size() : next_delimiter.size();
    form_fields fields;
    for (;;) {
        auto rest = body.substr(pos);
        if (rest.starts_with("--")) return fields;  // the close delimiter; the epilogue is ignored
        rest = rest.substr(std::min(rest.find_first_not_of(" \t"), rest.size()));
        if (!rest.starts_with(crlf)) return std::nullopt;
        rest.remove_prefix(crlf.size());
        // The part's headers end at an empty line; a part with no headers starts with it.
        const auto headers_end = rest.starts_with(crlf) ? 0 : rest.find("\r\n\r\n");
        if (headers_end == std::string_view::npos) return std::nullopt;
        const auto headers = rest.substr(0, headers_end);
        const auto content_begin = headers_end + (headers_end == 0 ? 2 : 4);
        const auto content_end = rest.find(next_delimiter, content_begin);
        if (content_end == std::string_view::npos) return std::nullopt;
        const auto name = part_field_name(headers);
        if (!name) return std::nullopt;
        fields.emplace_back(std::string(*name),
                            std::string(rest.substr(content_begin, content_end - content_begin)));
        pos = static_cast<std::size_t>(rest.data() - body.data()) + content_end +
              next_delimiter.size();
    }
}

bool is_one_click_unsubscribe(std::string_view content_type, std::string_view body) {
    std::optional<form_fields> fields;
    const auto type = media_type(content_type);
    if (iequals(type, "application/x-www-form-urlencoded")) {
        fields = parse_form_urlencoded(body);
    } else if (iequals(type, "multipart/form-data")) {
        if (const auto boundary = header_parameter(content_type, "boundary"))
            fields = parse_multipart_form(*boundary, body);
    }
    return fields && fields->size() == 1 && (*fields)[0].first == "List-Unsubscribe" &&
           (*fields)[0].second == "One-Click";
}

}  // namespace optgate
