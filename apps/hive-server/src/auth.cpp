#include "auth.hpp"

#include <cstddef>

namespace forge::hive_server::detail {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    std::size_t n = a.size() > b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) {
        auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff = static_cast<unsigned char>(diff | (x ^ y));
    }
    return diff == 0;
}

bool bearer_matches(std::string_view header,
                    std::string_view api_key,
                    std::string_view api_secret) noexcept {
    constexpr std::string_view scheme = "bearer ";
    if (api_key.empty() || header.size() < scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return false;
    }
    auto token = header.substr(scheme.size());
    auto colon = token.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    bool key_ok = constant_time_equal(token.substr(0, colon), api_key);
    bool secret_ok = constant_time_equal(token.substr(colon + 1), api_secret);
    return key_ok & secret_ok;
}

}  // namespace forge::hive_server::detail
