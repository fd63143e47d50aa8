#include "path.hpp"

#include <fmt/format.h>

namespace forge::hive_server::detail {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

parsed_target parse_target(std::string_view target) {
    parsed_target out;
    if (target.empty() || target.front() != '/') {
        out.error = "Invalid request target: expected a path starting with '/'";
        return out;
    }
    auto q = target.find('?');
    if (q != std::string_view::npos) {
        out.query = std::string(target.substr(q + 1));
        target = target.substr(0, q);
    }
    std::size_t index = 0;
    std::size_t pos = 1;
    while (pos <= target.size()) {
        auto end = target.find('/', pos);
        if (end == std::string_view::npos) end = target.size();
        auto raw = target.substr(pos, end - pos);
        pos = end + 1;
        if (raw.empty()) continue;
        std::string decoded;
        decoded.reserve(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
            char c = raw[i];
            if (c == '%') {
                int hi = raw.size() - i >= 3 ? hex_value(raw[i + 1]) : -1;
                int lo = raw.size() - i >= 3 ? hex_value(raw[i + 2]) : -1;
                if (hi < 0 || lo < 0) {
                    out.error = fmt::format("Invalid path segment {}: bad percent-encoding", index);
                    return out;
                }
                c = static_cast<char>(hi * 16 + lo);
                i += 2;
            }
            if (c == '\0') {
                out.error = fmt::format("Invalid path segment {}: contains a NUL byte", index);
                return out;
            }
            decoded.push_back(c);
        }
        if (decoded.size() > max_segment_bytes) {
            out.error = fmt::format("Invalid path segment {}: longer than {} bytes", index,
                                    max_segment_bytes);
            return out;
        }
        out.segments.push_back(std::move(decoded));
        ++index;
    }
    return out;
}

}  // namespace forge::hive_server::detail
