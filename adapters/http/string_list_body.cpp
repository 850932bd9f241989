#include "adapters/http/string_list_body.hpp"

#include <algorithm>
#include <functional>
#include <limits>

#include <boost/json/basic_parser_impl.hpp>

namespace optgate {

std::string_view string_list::operator[](std::size_t i) const {
    const auto [offset, length] = places_[i];
    if (offset < body_.size()) return body_.substr(offset, length);
    return std::string_view(decoded_).substr(offset - body_.size(), length);
}

void string_list::add_in_body(std::string_view s) {
    const auto offset = s.empty() ? 0 : s.data() - body_.data();
    places_.push_back({static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(s.size())});
}

void string_list::add_decoded(std::string_view s) {
    // Never longer than the escapes it came from: within the 2 GiB the reader allows.
    places_.push_back({static_cast<std::uint32_t>(body_.size() + decoded_.size()),
                       static_cast<std::uint32_t>(s.size())});
    decoded_.append(s);
}

void string_list::clear() {
    std::vector<place>().swap(places_);
    std::string().swap(decoded_);
}

namespace {

namespace json = boost::json;

// The events of boost::json::basic_parser, turned into the members `shape` asks for. Depth
// counts the containers open: members' values are at depth 1, the list's items at depth 2.
class string_list_handler {
  public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    string_list_handler(const string_list_shape& shape, std::string_view body)
        : shape_(shape), body_(body), items_(body) {
        result_.fields.assign(shape.fields.size(), std::nullopt);
        std::size_t longest = shape.list.size();
        for (auto f : shape.fields) longest = std::max(longest, f.size());
        max_key_ = longest + 1;
    }

    string_list_body& result() { return result_; }

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }

    bool on_object_begin(json::error_code&) {
        if (depth_ > 0) not_wanted_here();
        ++depth_;
        return true;
    }
    bool on_object_end(std::size_t, json::error_code&) {
        close();
        return true;
    }
    bool on_array_begin(json::error_code& ec) {
        if (depth_ == 0) return fail(ec, string_list_status::not_a_json_object);
        if (depth_ == 1 && member_ == member::list) {
            list_open_ = list_valid_ = true;
            items_.clear();
        } else {
            not_wanted_here();
        }
        ++depth_;
        return true;
    }
    bool on_array_end(std::size_t, json::error_code&) {
        close();
        return true;
    }

    bool on_string_part(json::string_view s, std::size_t, json::error_code& ec) {
        if (in_list_item()) {
            if (items_.size() == shape_.max_items)
                return fail(ec, string_list_status::too_many_items);
            add_item_part({s.data(), s.size()});
        } else if (depth_ == 1 && member_ == member::field) {
            text_.append(s.data(), s.size());
        }
        return true;
    }
    bool on_string(json::string_view s, std::size_t n, json::error_code& ec) {
        if (depth_ == 0) return fail(ec, string_list_status::not_a_json_object);
        if (!on_string_part(s, n, ec)) return false;
        if (depth_ == 1 && member_ == member::field) {
            result_.fields[field_] = std::move(text_);
        } else if (in_list_item()) {
            if (decoding_)
                items_.add_decoded(text_);
            else
                items_.add_in_body(run_);
            run_ = {};
            decoding_ = false;
        } else {
            not_wanted_here();
        }
        text_.clear();
        return true;
    }

    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        // Only top-level names are looked at, and only as far as the longest wanted one.
        if (depth_ == 1 && key_.size() < max_key_)
            key_.append(s.data(), std::min(s.size(), max_key_ - key_.size()));
        return true;
    }
    bool on_key(json::string_view s, std::size_t n, json::error_code& ec) {
        on_key_part(s, n, ec);
        if (depth_ != 1) return true;
        member_ = member::other;
        if (key_ == shape_.list) member_ = member::list;
        for (std::size_t i = 0; i < shape_.fields.size(); ++i)
            if (key_ == shape_.fields[i]) member_ = member::field, field_ = i;
        key_.clear();
        return true;
    }

    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, json::error_code& ec) { return scalar(ec); }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code& ec) { return scalar(ec); }
    bool on_double(double, json::string_view, json::error_code& ec) { return scalar(ec); }
    bool on_bool(bool, json::error_code& ec) { return scalar(ec); }
    bool on_null(json::error_code& ec) { return scalar(ec); }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }

  private:
    enum class member { other, field, list };

    bool in_list_item() const { return depth_ == 2 && list_open_ && list_valid_; }

    // A piece of a list item. The parser hands a string without escapes over as one piece of
    // the body, or as pieces that follow each other in it; an escape is decoded elsewhere.
    void add_item_part(std::string_view piece) {
        if (!decoding_ && in_body(piece) &&
            (run_.empty() || run_.data() + run_.size() == piece.data())) {
            run_ = run_.empty() ? piece : std::string_view(run_.data(), run_.size() + piece.size());
            return;
        }
        if (!decoding_) text_.assign(run_);
        decoding_ = true;
        text_.append(piece);
    }

    bool in_body(std::string_view piece) const {
        const std::less_equal<const char*> at_most;
        return at_most(body_.data(), piece.data()) &&
               at_most(piece.data() + piece.size(), body_.data() + body_.size());
    }

    // A value other than the string or list asked for, where it counts: the member is then
    // absent or not a list of strings.
    void not_wanted_here() {
        if (depth_ == 1 && member_ == member::field) {
            result_.fields[field_].reset();
        } else if (depth_ == 1 && member_ == member::list) {
            result_.items.reset();
        } else if (depth_ == 2 && list_open_ && list_valid_) {
            list_valid_ = false;
            items_.clear();
        }
    }

    void close() {
        if (--depth_ == 1 && list_open_) {
            list_open_ = false;
            if (list_valid_)
                result_.items = std::move(items_);
            else
                result_.items.reset();
            items_ = string_list(body_);
        }
    }

    bool scalar(json::error_code& ec) {
        if (depth_ == 0) return fail(ec, string_list_status::not_a_json_object);
        not_wanted_here();
        return true;
    }

    bool fail(json::error_code& ec, string_list_status status) {
        result_.status = status;
        ec = json::make_error_code(status == string_list_status::too_many_items
                                       ? json::error::array_too_large
                                       : json::error::not_object);
        return false;
    }

    const string_list_shape& shape_;
    std::string_view body_;
    string_list_body result_;
    std::size_t depth_ = 0;
    member member_ = member::other;
    std::size_t field_ = 0;  // which of shape_.fields, when member_ is field
    std::size_t max_key_ = 0;
    bool list_open_ = false;
    bool list_valid_ = false;
    std::string key_;
    std::string text_;       // a field's value, or a list item with escapes, decoded
    std::string_view run_;   // a list item without escapes so far, in the body
    bool decoding_ = false;  // the item being read had an escape: it is in text_
    string_list items_;
};

}  // namespace

string_list_body read_string_list_body(std::string_view body, const string_list_shape& shape) {
    // Places are 32-bit offsets into the body and its decoded strings (never longer).
    if (body.size() >= std::numeric_limits<std::uint32_t>::max() / 2)
        return {string_list_status::not_a_json_object,
                std::vector<std::optional<std::string>>(shape.fields.size()), std::nullopt};
    json::basic_parser<string_list_handler> parser(json::parse_options{}, shape, body);
    json::error_code ec;
    const auto read = parser.write_some(false, body.data(), body.size(), ec);
    auto& result = parser.handler().result();
    if (result.status == string_list_status::ok && (ec || read != body.size()))
        result.status = string_list_status::not_a_json_object;
    if (result.status != string_list_status::ok) {
        result.fields.assign(shape.fields.size(), std::nullopt);
        result.items.reset();
    }
    return std::move(result);
}

}  // namespace optgate
