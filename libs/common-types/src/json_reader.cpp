// The JSON reader: an iterative parser with a depth limit (docs/record-format.md §2.4).
#include "utf8.hpp"

#include <forge/types/errors.hpp>
#include <forge/types/huge_pages.hpp>
#include <forge/types/json.hpp>
#include <forge/types/json_text.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>
#include <vector>

namespace forge {
namespace {

// plain_table: 1 for bytes a string can hold verbatim (not '"', '\\', a control or non-ASCII).
struct plain_table {
    bool plain[256];
    constexpr plain_table() : plain() {
        for (int c = 0; c < 256; ++c) plain[c] = c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }
};
constexpr plain_table plain_bytes{};

inline bool is_ws(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// open_container: one array or object being read.
struct open_container {
    bool is_object;
    std::size_t first_value;
    std::size_t first_key;
};

// keep_capacity: the scratch slots a thread keeps between parses; enough for typical records.
constexpr std::size_t keep_capacity = 4096;

// reserve_from_bytes, reserve_max_values: texts at least this long reserve their value stack's
// worst case up front, up to this many values (640 MB of address space, a 32 MiB text).
constexpr std::size_t reserve_from_bytes = std::size_t{1} << 20;
constexpr std::size_t reserve_max_values = std::size_t{1} << 24;

// huge_container_members: containers with this many members or more (a few MiB) ask for huge
// pages when they are built.
constexpr std::size_t huge_container_members = std::size_t{1} << 16;

// parse_stacks: the reusable scratch space of a parse. Completed values wait on `values` until
// their container closes, which then takes exactly its elements in one allocation (a large array
// that is the whole stack takes the stack itself).
struct parse_stacks {
    std::vector<json> values;
    std::vector<std::string> keys;
    std::vector<open_container> open;

    void reset() {
        values.clear();
        keys.clear();
        open.clear();
        // Keep the scratch small after a huge document; typical records need a few dozen slots.
        if (values.capacity() > keep_capacity) std::vector<json>().swap(values);
        if (keys.capacity() > keep_capacity) std::vector<std::string>().swap(keys);
    }
};

// parser: one pass over the text. Containers under construction live on an explicit stack, so
// the C++ call depth is constant whatever the nesting.
class parser {
public:
    parser(std::string_view text, const parse_options& opts, parse_stacks& stacks)
        : begin_(text.data()),
          p_(text.data()),
          end_(text.data() + text.size()),
          max_depth_(opts.max_depth),
          key_comparisons_(opts.stats != nullptr ? &opts.stats->key_comparisons : nullptr),
          memory_(opts.memory),
          allowed_(opts.memory != nullptr ? 0 : std::numeric_limits<std::size_t>::max()),
          values_(stacks.values),
          keys_(stacks.keys),
          open_(stacks.open) {}

    json run() {
        for (;;) {
            skip_ws();
            if (p_ == end_) fail("unexpected end of input, expected a value");
            char c = *p_;
            if (c == '{' || c == '[') {
                if (open_.size() >= max_depth_) {
                    fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
                }
                ++p_;
                skip_ws();
                open_.push_back({c == '{', values_.size(), keys_.size()});
                char close = c == '{' ? '}' : ']';
                if (p_ < end_ && *p_ == close) {
                    ++p_;
                    close_top();
                } else {
                    if (c == '{') read_key();
                    continue;
                }
            } else {
                scalar();
            }
            // A value is complete: close as many containers as the text closes, until one
            // expects another element or the root is done.
            for (;;) {
                if (open_.empty()) {
                    skip_ws();
                    if (p_ != end_) fail("unexpected text after the JSON value");
                    json result = std::move(values_.back());
                    values_.pop_back();
                    return result;
                }
                bool is_object = open_.back().is_object;
                skip_ws();
                if (p_ == end_) fail("unexpected end of input");
                if (*p_ == ',') {
                    ++p_;
                    if (is_object) {
                        skip_ws();
                        read_key();
                    }
                    break;
                }
                if (*p_ == (is_object ? '}' : ']')) {
                    ++p_;
                    close_top();
                    continue;
                }
                fail(is_object ? "expected ',' or '}' after an object member"
                               : "expected ',' or ']' after an array element");
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& reason) const {
        throw json_parse_error(static_cast<std::size_t>(p_ - begin_), reason);
    }

    void skip_ws() noexcept {
        while (p_ < end_ && is_ws(*p_)) ++p_;
    }

    // hold: counts n more bytes held by values, charging opts.memory when past what it allowed.
    void hold(std::size_t n) {
        held_ += n;
        if (held_ > allowed_) [[unlikely]]
            charge_more();
    }

    void charge_more() {
        std::size_t step = std::max(held_ - allowed_, next_step_);
        if (!memory_->charge(step))
            throw json_memory_error(static_cast<std::size_t>(p_ - begin_), allowed_);
        allowed_ += step;
        next_step_ = std::min(next_step_ * 2, parse_memory_max_step);
    }

    void close_top() {
        open_container top = open_.back();
        open_.pop_back();
        peak_values_ = std::max(peak_values_, values_.size());
        std::size_t n = values_.size() - top.first_value;
        auto first = values_.begin() + static_cast<std::ptrdiff_t>(top.first_value);
        if (top.is_object) {
            json_object members;
            members.reserve(n);
            if (n >= huge_container_members)
                advise_huge_pages(members.data(), n * sizeof(json_object::value_type));
            auto key = keys_.begin() + static_cast<std::ptrdiff_t>(top.first_key);
            for (auto it = first; it != values_.end(); ++it, ++key)
                members.emplace_back(std::move(*key), std::move(*it));
            keys_.resize(top.first_key);
            values_.resize(top.first_value);
            collapse_repeated_keys(members, key_comparisons_);
            hold(sizeof(json) + n * (sizeof(json_object::value_type) - sizeof(json)));
            values_.emplace_back(std::move(members));
        } else if (top.first_value == 0 && n > keep_capacity && n >= peak_values_ / 2) {
            // The stack holds exactly this array's elements, and they fill at least half of what
            // it ever touched: it becomes the array, so a large flat array is neither copied nor
            // held twice. Its unused reserved capacity is address space only.
            hold(sizeof(json));
            json_array elements = std::move(values_);
            values_.clear();
            values_.emplace_back(std::move(elements));
        } else {
            hold(sizeof(json));
            json_array elements;
            elements.reserve(n);
            if (n >= huge_container_members) advise_huge_pages(elements.data(), n * sizeof(json));
            elements.insert(elements.end(), std::make_move_iterator(first),
                            std::make_move_iterator(values_.end()));
            values_.resize(top.first_value);
            values_.emplace_back(std::move(elements));
        }
    }

    void read_key() {
        if (p_ == end_) fail("unexpected end of input, expected an object key");
        if (*p_ != '"') fail("expected a string key");
        keys_.emplace_back();
        read_string(keys_.back());
        hold(keys_.back().size());
        skip_ws();
        if (p_ == end_) fail("unexpected end of input, expected ':'");
        if (*p_ != ':') fail("expected ':' after an object key");
        ++p_;
    }

    void scalar() {
        hold(sizeof(json));
        char c = *p_;
        switch (c) {
            case '"': {
                values_.emplace_back(std::string());
                auto& text = std::get<std::string>(values_.back().raw());
                read_string(text);
                hold(text.size());
                return;
            }
            case 't':
                literal("true");
                values_.emplace_back(true);
                return;
            case 'f':
                literal("false");
                values_.emplace_back(false);
                return;
            case 'n':
                literal("null");
                values_.emplace_back(nullptr);
                return;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    values_.push_back(number());
                    return;
                }
                fail("expected a value");
        }
    }

    void literal(const char* word) {
        std::size_t n = std::strlen(word);
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) {
            fail("invalid literal, expected '" + std::string(word) + "'");
        }
        p_ += n;
    }

    json number() {
        const char* start = p_;
        bool negative = false;
        if (*p_ == '-') {
            negative = true;
            ++p_;
        }
        if (p_ == end_ || *p_ < '0' || *p_ > '9') fail("invalid number: expected a digit");
        const char* int_start = p_;
        std::uint64_t small = 0;
        if (*p_ == '0') {
            ++p_;
        } else {
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
                small = small * 10 + static_cast<std::uint64_t>(*p_ - '0');
                ++p_;
            }
        }
        const char* int_end = p_;
        bool is_float = false;
        int frac_leading_zeros = 0;
        bool frac_nonzero = false;
        if (p_ < end_ && *p_ == '.') {
            is_float = true;
            ++p_;
            if (p_ == end_ || *p_ < '0' || *p_ > '9')
                fail("invalid number: expected a digit after '.'");
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
                if (*p_ != '0') frac_nonzero = true;
                if (!frac_nonzero) ++frac_leading_zeros;
                ++p_;
            }
        }
        long long exp_value = 0;
        if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
            is_float = true;
            ++p_;
            bool exp_negative = false;
            if (p_ < end_ && (*p_ == '+' || *p_ == '-')) {
                exp_negative = *p_ == '-';
                ++p_;
            }
            if (p_ == end_ || *p_ < '0' || *p_ > '9')
                fail("invalid number: expected a digit in the exponent");
            while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
                if (exp_value < 100000000) exp_value = exp_value * 10 + (*p_ - '0');
                ++p_;
            }
            if (exp_negative) exp_value = -exp_value;
        }
        if (!is_float && int_end - int_start <= 18) {
            // At most 18 digits: the accumulated value is exact and fits int64.
            auto i = static_cast<std::int64_t>(small);
            return json(negative ? -i : i);
        }
        if (!is_float) {
            std::int64_t i = 0;
            auto r = std::from_chars(start, p_, i);
            if (r.ec == std::errc() && r.ptr == p_) return json(i);
            if (!negative) {
                std::uint64_t u = 0;
                auto ru = std::from_chars(start, p_, u);
                if (ru.ec == std::errc() && ru.ptr == p_)
                    return json(static_cast<unsigned long long>(u));
            }
        }
        double d = 0;
        auto r = std::from_chars(start, p_, d);
        if (r.ec == std::errc() && r.ptr == p_) return json(d);
        if (r.ec == std::errc::result_out_of_range) {
            // Decimal magnitude: digits before the point (an integer part of "0" counts as none)
            // plus the exponent, minus the zeros right after the point.
            long long magnitude = exp_value;
            bool int_is_zero = int_end - int_start == 1 && *int_start == '0';
            if (!int_is_zero) {
                magnitude += int_end - int_start;
            } else {
                magnitude -= frac_leading_zeros;
            }
            if (magnitude > 0) {
                p_ = start;
                fail("number out of range for a double");
            }
            return json(negative ? -0.0 : 0.0);
        }
        p_ = start;
        fail("invalid number");
    }

    void read_string(std::string& out) {
        ++p_;
        for (;;) {
            const char* run = p_;
            while (p_ < end_ && plain_bytes.plain[static_cast<unsigned char>(*p_)]) ++p_;
            out.append(run, static_cast<std::size_t>(p_ - run));
            if (p_ == end_) fail("unexpected end of input inside a string");
            auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                ++p_;
                return;
            }
            if (c < 0x20) fail("unescaped control character in a string");
            if (c >= 0x80) {
                std::size_t len =
                    detail::utf8_sequence_length(reinterpret_cast<const unsigned char*>(p_),
                                                 static_cast<std::size_t>(end_ - p_), nullptr);
                if (len == 0) fail("invalid UTF-8 in a string");
                out.append(p_, len);
                p_ += len;
                continue;
            }
            ++p_;
            if (p_ == end_) fail("unexpected end of input inside a string");
            char e = *p_++;
            switch (e) {
                case '"':
                    out.push_back('"');
                    break;
                case '\\':
                    out.push_back('\\');
                    break;
                case '/':
                    out.push_back('/');
                    break;
                case 'b':
                    out.push_back('\b');
                    break;
                case 'f':
                    out.push_back('\f');
                    break;
                case 'n':
                    out.push_back('\n');
                    break;
                case 'r':
                    out.push_back('\r');
                    break;
                case 't':
                    out.push_back('\t');
                    break;
                case 'u':
                    read_unicode_escape(out);
                    break;
                default:
                    --p_;
                    fail("invalid escape sequence in a string");
            }
        }
    }

    std::uint32_t read_hex4() {
        if (end_ - p_ < 4) fail("unexpected end of input in a \\u escape");
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            int h = hex_value(p_[i]);
            if (h < 0) fail("invalid hex digit in a \\u escape");
            v = v * 16 + static_cast<std::uint32_t>(h);
        }
        p_ += 4;
        return v;
    }

    void read_unicode_escape(std::string& out) {
        std::uint32_t cp = read_hex4();
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
                const char* save = p_;
                p_ += 2;
                std::uint32_t lo = read_hex4();
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    detail::append_utf8(out, 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00));
                    return;
                }
                p_ = save;
            }
            detail::append_utf8(out, 0xFFFD);
            return;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) cp = 0xFFFD;
        detail::append_utf8(out, cp);
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    std::size_t max_depth_;
    std::size_t* key_comparisons_;
    parse_memory* memory_;
    std::size_t allowed_;
    std::size_t held_ = 0;
    std::size_t next_step_ = parse_memory_min_step;
    std::size_t peak_values_ = 0;
    std::vector<json>& values_;
    std::vector<std::string>& keys_;
    std::vector<open_container>& open_;
};

}  // namespace

json parse_json(std::string_view text, const parse_options& opts) {
    thread_local parse_stacks stacks;
    // Cleared on every exit, so a failed or huge parse leaves neither values nor big buffers
    // behind.
    struct reset_on_exit {
        parse_stacks& s;
        ~reset_on_exit() { s.reset(); }
    } guard{stacks};
    // Every value but the last takes at least two bytes of text, so this bounds the stack. A large
    // text reserves it up front (up to a cap): pages are touched only as values arrive, and the
    // stack is not copied while it grows.
    if (text.size() >= reserve_from_bytes) {
        stacks.values.reserve(std::min(text.size() / 2 + 1, reserve_max_values));
        advise_huge_pages(stacks.values.data(), stacks.values.capacity() * sizeof(json));
    }
    parser p(text, opts, stacks);
    return p.run();
}

std::optional<json> try_parse_json(std::string_view text,
                                   std::string* error,
                                   const parse_options& opts) {
    try {
        return parse_json(text, opts);
    } catch (const json_parse_error& e) {
        if (error != nullptr) *error = e.what();
        return std::nullopt;
    }
}

}  // namespace forge
