#include <forge/task/schema.hpp>
#include <forge/types/json_text.hpp>

#include <cmath>
// g++ 12 reports a false -Wmaybe-uninitialized inside <regex>'s std::function copies at -O1
// (sanitizer builds); the warning is in the standard library, not in this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <stdexcept>
#include <utility>

namespace forge {

namespace detail {
struct compiled_pattern {
    std::regex re;
};
}  // namespace detail

namespace {

std::string_view received_name(const json* v) {
    return v == nullptr ? std::string_view("undefined") : kind_name(v->kind());
}

std::string_view expected_name(schema::kind k) {
    switch (k) {
        case schema::kind::string:
            return "string";
        case schema::kind::number:
        case schema::kind::integer:
            return "number";
        case schema::kind::boolean:
            return "boolean";
        case schema::kind::array:
            return "array";
        case schema::kind::object:
            return "object";
        case schema::kind::enumeration:
            return "string";
        case schema::kind::any:
            return "any";
    }
    return "any";
}

std::string js_number(double d) { return format_js_number(d); }

// utf16_length: the length JavaScript reports for a UTF-8 string.
std::size_t utf16_length(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) == 0x80) continue;
        n += (c >= 0xF0) ? 2 : 1;
    }
    return n;
}

bool looks_like_email(const std::string& s) {
    static const std::regex re(
        R"(^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+\-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$)");
    return std::regex_match(s, re);
}

void add_issue(std::vector<validation_issue>& out, const json_path& path, std::string msg) {
    out.push_back(validation_issue{path.str(), std::move(msg)});
}

}  // namespace

std::string format_validation_message(const std::vector<validation_issue>& issues) {
    if (issues.empty()) return "Invalid input";
    std::string out = "Invalid input on: ";
    for (std::size_t i = 0; i < issues.size(); ++i) {
        if (i != 0) out += ", ";
        out += issues[i].path;
        out += ": ";
        out += issues[i].message;
    }
    return out;
}

validation_error::validation_error(std::vector<validation_issue> issues)
    : categorized_error(error_category::validation, format_validation_message(issues)),
      issues_(std::move(issues)) {}

schema::schema() = default;
schema::~schema() = default;
schema::schema(const schema&) = default;
schema::schema(schema&&) noexcept = default;
schema& schema::operator=(const schema&) = default;
schema& schema::operator=(schema&&) noexcept = default;

schema schema::of_kind(kind k) {
    schema s;
    s.kind_ = k;
    return s;
}

schema schema::any() { return schema(); }

schema schema::string() { return of_kind(kind::string); }
schema schema::number() { return of_kind(kind::number); }
schema schema::integer() { return of_kind(kind::integer); }
schema schema::boolean() { return of_kind(kind::boolean); }
schema schema::enumeration(std::vector<std::string> values) {
    schema s = of_kind(kind::enumeration);
    s.enum_values_ = std::move(values);
    return s;
}
schema schema::array(schema items) {
    schema s = of_kind(kind::array);
    s.items_.push_back(std::move(items));
    return s;
}
schema schema::object() { return of_kind(kind::object); }

schema& schema::min_length(std::size_t n) {
    min_len_ = n;
    return *this;
}
schema& schema::max_length(std::size_t n) {
    max_len_ = n;
    return *this;
}
schema& schema::pattern(std::string ecmascript_regex) {
    try {
        pattern_ = std::make_shared<const detail::compiled_pattern>(
            detail::compiled_pattern{std::regex(ecmascript_regex, std::regex::ECMAScript)});
    } catch (const std::regex_error& e) {
        throw std::invalid_argument("schema pattern /" + ecmascript_regex +
                                    "/ does not compile: " + e.what());
    }
    pattern_text_ = std::move(ecmascript_regex);
    return *this;
}
schema& schema::email() {
    email_ = true;
    return *this;
}
schema& schema::minimum(double v, bool exclusive) {
    min_ = v;
    min_exclusive_ = exclusive;
    return *this;
}
schema& schema::maximum(double v, bool exclusive) {
    max_ = v;
    max_exclusive_ = exclusive;
    return *this;
}
schema& schema::min_items(std::size_t n) {
    min_len_ = n;
    return *this;
}
schema& schema::max_items(std::size_t n) {
    max_len_ = n;
    return *this;
}
schema& schema::add_field(std::string name, schema s, bool required) {
    for (auto& f : fields_) {
        if (f.name == name) {
            f.value = std::move(s);
            f.required = required;
            return *this;
        }
    }
    fields_.push_back(schema_field{std::move(name), std::move(s), required});
    return *this;
}
schema& schema::required(std::string name, schema s) {
    return add_field(std::move(name), std::move(s), true);
}
schema& schema::optional(std::string name, schema s) {
    return add_field(std::move(name), std::move(s), false);
}
schema& schema::description(std::string text) {
    description_ = std::move(text);
    return *this;
}

std::vector<validation_issue> schema::validate(const json& v) const {
    std::vector<validation_issue> out;
    validate_into(&v, json_path(), out);
    return out;
}

void schema::check(const json& v) const {
    auto issues = validate(v);
    if (!issues.empty()) throw validation_error(std::move(issues));
}

void schema::validate_into(const json* v,
                           const json_path& path,
                           std::vector<validation_issue>& out) const {
    auto wrong_type = [&] {
        add_issue(out, path,
                  "Invalid input: expected " + std::string(expected_name(kind_)) + ", received " +
                      std::string(received_name(v)));
    };
    auto enum_text = [&] {
        std::string t = "Invalid option: expected one of ";
        for (std::size_t i = 0; i < enum_values_.size(); ++i) {
            if (i != 0) t += "|";
            write_json_string(t, enum_values_[i]);
        }
        return t;
    };
    switch (kind_) {
        case kind::any:
            return;
        case kind::boolean:
            if (v == nullptr || !v->is_bool()) wrong_type();
            return;
        case kind::enumeration: {
            bool ok = v != nullptr && v->is_string();
            if (ok) {
                ok = false;
                for (const auto& e : enum_values_) ok = ok || e == v->as_string();
            }
            if (!ok) add_issue(out, path, enum_text());
            return;
        }
        case kind::number:
        case kind::integer: {
            if (v == nullptr || !v->is_number()) return wrong_type();
            double d = v->as_double();
            if (kind_ == kind::integer && !v->is_integer() && std::floor(d) != d) {
                add_issue(out, path, "Invalid input: expected int, received number");
                return;
            }
            if (min_ && (min_exclusive_ ? !(d > *min_) : !(d >= *min_))) {
                add_issue(out, path,
                          std::string("Too small: expected number to be ") +
                              (min_exclusive_ ? ">" : ">=") + js_number(*min_));
            }
            if (max_ && (max_exclusive_ ? !(d < *max_) : !(d <= *max_))) {
                add_issue(out, path,
                          std::string("Too big: expected number to be ") +
                              (max_exclusive_ ? "<" : "<=") + js_number(*max_));
            }
            return;
        }
        case kind::string: {
            if (v == nullptr || !v->is_string()) return wrong_type();
            const std::string& s = v->as_string();
            std::size_t n = utf16_length(s);
            if (min_len_ && n < *min_len_) {
                add_issue(out, path,
                          "Too small: expected string to have >=" + std::to_string(*min_len_) +
                              " characters");
            }
            if (max_len_ && n > *max_len_) {
                add_issue(out, path,
                          "Too big: expected string to have <=" + std::to_string(*max_len_) +
                              " characters");
            }
            if (email_ && !looks_like_email(s)) add_issue(out, path, "Invalid email address");
            if (pattern_ && !std::regex_search(s, pattern_->re)) {
                add_issue(out, path, "Invalid string: must match pattern /" + pattern_text_ + "/");
            }
            return;
        }
        case kind::array: {
            if (v == nullptr || !v->is_array()) return wrong_type();
            const json_array& a = v->as_array();
            if (min_len_ && a.size() < *min_len_) {
                add_issue(
                    out, path,
                    "Too small: expected array to have >=" + std::to_string(*min_len_) + " items");
            }
            if (max_len_ && a.size() > *max_len_) {
                add_issue(
                    out, path,
                    "Too big: expected array to have <=" + std::to_string(*max_len_) + " items");
            }
            if (items_.empty()) return;
            for (std::size_t i = 0; i < a.size(); ++i) {
                items_.front().validate_into(&a[i], json_path(path, i), out);
            }
            return;
        }
        case kind::object: {
            if (v == nullptr || !v->is_object()) return wrong_type();
            for (const auto& f : fields_) {
                const json* m = v->find(f.name);
                if (m == nullptr && !f.required) continue;
                f.value.validate_into(m, json_path(path, std::string_view(f.name)), out);
            }
            return;
        }
    }
}

json schema::describe() const {
    json out = json::object();
    switch (kind_) {
        case kind::any:
            break;
        case kind::string:
        case kind::enumeration:
            out.set("type", "string");
            break;
        case kind::number:
            out.set("type", "number");
            break;
        case kind::integer:
            out.set("type", "integer");
            break;
        case kind::boolean:
            out.set("type", "boolean");
            break;
        case kind::array:
            out.set("type", "array");
            break;
        case kind::object:
            out.set("type", "object");
            break;
    }
    if (!description_.empty()) out.set("description", description_);
    if (kind_ == kind::enumeration) {
        json_array values;
        for (const auto& e : enum_values_) values.emplace_back(e);
        out.set("enum", json(std::move(values)));
    }
    if (kind_ == kind::string) {
        if (min_len_) out.set("minLength", static_cast<unsigned long long>(*min_len_));
        if (max_len_) out.set("maxLength", static_cast<unsigned long long>(*max_len_));
        if (pattern_) out.set("pattern", pattern_text_);
        if (email_) out.set("format", "email");
    }
    if (kind_ == kind::number || kind_ == kind::integer) {
        if (min_) out.set(min_exclusive_ ? "exclusiveMinimum" : "minimum", *min_);
        if (max_) out.set(max_exclusive_ ? "exclusiveMaximum" : "maximum", *max_);
    }
    if (kind_ == kind::array) {
        if (!items_.empty()) out.set("items", items_.front().describe());
        if (min_len_) out.set("minItems", static_cast<unsigned long long>(*min_len_));
        if (max_len_) out.set("maxItems", static_cast<unsigned long long>(*max_len_));
    }
    if (kind_ == kind::object) {
        json props = json::object();
        json_array req;
        for (const auto& f : fields_) {
            props.set(f.name, f.value.describe());
            if (f.required) req.emplace_back(f.name);
        }
        out.set("properties", std::move(props));
        out.set("required", json(std::move(req)));
    }
    return out;
}

}  // namespace forge
