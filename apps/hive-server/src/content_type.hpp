// The media types the hive server answers with (docs/hive-api.md §2.3).
#pragma once

#include <string_view>

namespace forge::hive_server::detail {

// content_type: what a response body is; the HTTP layer turns it into the Content-Type header.
enum class content_type { json, prometheus_text, html, javascript, css };

// content_type_header: the Content-Type value of t, e.g. "application/json; charset=utf-8".
// Constant strings, no allocation.
constexpr std::string_view content_type_header(content_type t) noexcept {
    switch (t) {
        case content_type::prometheus_text:
            return "text/plain; version=0.0.4; charset=utf-8";
        case content_type::html:
            return "text/html; charset=utf-8";
        case content_type::javascript:
            return "text/javascript; charset=utf-8";
        case content_type::css:
            return "text/css; charset=utf-8";
        case content_type::json:
            break;
    }
    return "application/json; charset=utf-8";
}

}  // namespace forge::hive_server::detail
