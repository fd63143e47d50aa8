// Error texts and error categories (docs/record-format.md §10).
#include <forge/types/error_category.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <cxxabi.h>
#include <system_error>
#include <typeinfo>

namespace forge {
namespace {

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool contains_any(std::string_view haystack,
                  std::initializer_list<std::string_view> needles) noexcept {
    return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) {
        return haystack.find(n) != std::string_view::npos;
    });
}

error_category classify_code(const std::error_code& ec) noexcept {
    if (ec == std::errc::timed_out) return error_category::timeout;
    if (ec == std::errc::connection_refused || ec == std::errc::connection_reset ||
        ec == std::errc::connection_aborted || ec == std::errc::network_unreachable ||
        ec == std::errc::broken_pipe) {
        return error_category::network;
    }
    return error_category::other;
}

// classify_boost_text: boost::system::system_error cannot be caught here without Boost headers, so
// its type is recognised by name and its what() ("<context>: <strerror text>") mapped with the
// texts the system and Asio categories give for the codes of docs/record-format.md §10.3.
error_category classify_boost_text(std::string_view what) noexcept {
    try {
        std::string s = lowercase(what);
        if (contains_any(s, {"timed out", "timeout"})) return error_category::timeout;
        if (contains_any(s, {"connection refused", "connection reset", "connection abort",
                             "host not found", "network is unreachable", "broken pipe"})) {
            return error_category::network;
        }
    } catch (...) {
    }
    return error_category::other;
}

bool current_exception_is_boost_system_error() noexcept {
    const std::type_info* t = abi::__cxa_current_exception_type();
    if (t == nullptr) return false;
    const char* name = t->name();
    return name != nullptr && std::strstr(name, "N5boost6system12system_errorE") != nullptr;
}

}  // namespace

std::string_view to_string(error_category c) noexcept {
    switch (c) {
        case error_category::validation:
            return "validation";
        case error_category::timeout:
            return "timeout";
        case error_category::network:
            return "network";
        case error_category::other:
            return "other";
    }
    return "other";
}

std::optional<error_category> parse_error_category(std::string_view text) noexcept {
    if (text == "validation") return error_category::validation;
    if (text == "timeout") return error_category::timeout;
    if (text == "network") return error_category::network;
    if (text == "other") return error_category::other;
    return std::nullopt;
}

error_category classify_error_message(std::string_view message) noexcept {
    try {
        std::string s = lowercase(message);
        if (s.starts_with("invalid input")) return error_category::validation;
        if (contains_any(s, {"timeout", "timed out", "etimedout", "deadline exceeded"})) {
            return error_category::timeout;
        }
        if (contains_any(s,
                         {"econnrefused", "econnreset", "enotfound", "eai_again", "epipe",
                          "socket hang up", "network", "connection refused", "connection reset"})) {
            return error_category::network;
        }
    } catch (...) {
    }
    return error_category::other;
}

std::string error_message(const std::exception_ptr& e) {
    if (!e) return "unknown exception";
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return ex.what();
    } catch (...) {
        return "unknown exception";
    }
}

error_category classify_exception(const std::exception_ptr& e) noexcept {
    if (!e) return error_category::other;
    try {
        std::rethrow_exception(e);
    } catch (const categorized_error& ex) {
        return ex.category();
    } catch (const std::system_error& ex) {
        return classify_code(ex.code());
    } catch (const std::exception& ex) {
        if (current_exception_is_boost_system_error()) return classify_boost_text(ex.what());
        return error_category::other;
    } catch (...) {
        return error_category::other;
    }
}

}  // namespace forge
