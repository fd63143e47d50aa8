// The compact JSON writer (docs/record-format.md §2.1-§2.3).
#include "append_integer.hpp"
#include "utf8.hpp"

#include <forge/types/json_text.hpp>

#include <charconv>
#include <string>
#include <vector>

namespace forge {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// needs_care: bytes that cannot be copied verbatim: controls, '"', '\\' and non-ASCII.
inline bool needs_care(unsigned char c) noexcept {
    return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

// frame: one open container of the iterative writer.
struct frame {
    const json* value;
    std::size_t next;
};

void write_scalar(std::string& out, const json& v) {
    switch (v.kind()) {
        case json_kind::null:
            out.append("null");
            break;
        case json_kind::boolean:
            out.append(std::get<bool>(v.raw()) ? "true" : "false");
            break;
        case json_kind::integer:
            detail::append_integer(out, std::get<std::int64_t>(v.raw()));
            break;
        case json_kind::uinteger:
            detail::append_integer(out, std::get<std::uint64_t>(v.raw()));
            break;
        case json_kind::number:
            write_json_number(out, std::get<double>(v.raw()));
            break;
        case json_kind::string:
            write_json_string(out, std::get<std::string>(v.raw()));
            break;
        default:
            break;
    }
}

}  // namespace

void write_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const auto* run = p;
        while (p < end && !needs_care(*p)) ++p;
        if (p != run)
            out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
        if (p == end) break;
        unsigned char c = *p;
        if (c >= 0x80) {
            std::size_t valid = 1;
            std::size_t len =
                detail::utf8_sequence_length(p, static_cast<std::size_t>(end - p), &valid);
            if (len != 0) {
                out.append(reinterpret_cast<const char*>(p), len);
                p += len;
            } else {
                out.append("\xEF\xBF\xBD");
                p += valid;
            }
            continue;
        }
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\b':
                out.append("\\b");
                break;
            case '\t':
                out.append("\\t");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\f':
                out.append("\\f");
                break;
            case '\r':
                out.append("\\r");
                break;
            default: {
                char esc[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xF]};
                out.append(esc, sizeof esc);
            }
        }
        ++p;
    }
    out.push_back('"');
}

void write_json(std::string& out, const json& v) {
    if (!v.is_array() && !v.is_object()) {
        write_scalar(out, v);
        return;
    }
    // Typical values nest a few levels: those frames live on the C++ stack, deeper ones spill into
    // a vector, so the writer allocates nothing for them and never recurses.
    constexpr std::size_t inline_frames = 32;
    frame inline_stack[inline_frames];
    std::vector<frame> spill;
    std::size_t depth = 0;
    auto push = [&](const json* value) {
        if (depth < inline_frames) {
            inline_stack[depth] = {value, 0};
        } else {
            spill.push_back({value, 0});
        }
        ++depth;
    };
    auto top = [&]() -> frame& {
        return depth <= inline_frames ? inline_stack[depth - 1] : spill.back();
    };
    auto pop = [&] {
        if (depth > inline_frames) spill.pop_back();
        --depth;
    };
    push(&v);
    out.push_back(v.is_array() ? '[' : '{');
    while (depth != 0) {
        frame& f = top();
        const json* child = nullptr;
        if (f.value->is_array()) {
            const auto& a = std::get<json_array>(f.value->raw());
            if (f.next == a.size()) {
                out.push_back(']');
                pop();
                continue;
            }
            if (f.next != 0) out.push_back(',');
            child = &a[f.next++];
        } else {
            const auto& o = std::get<json_object>(f.value->raw());
            if (f.next == o.size()) {
                out.push_back('}');
                pop();
                continue;
            }
            if (f.next != 0) out.push_back(',');
            const auto& m = o[f.next++];
            write_json_string(out, m.first);
            out.push_back(':');
            child = &m.second;
        }
        if (child->is_array() || child->is_object()) {
            out.push_back(child->is_array() ? '[' : '{');
            push(child);
        } else {
            write_scalar(out, *child);
        }
    }
}

std::string to_json_text(const json& v) {
    std::string out;
    write_json(out, v);
    return out;
}

}  // namespace forge
