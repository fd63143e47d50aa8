// URL handling for Hive requests: base URL parsing and per-segment percent-encoding
// (docs/hive-api.md §2.1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace forge::hive {

// base_url: the parsed parts of `scheme://host[:port][/prefix]`.
struct base_url {
    std::string scheme{};
    std::string host{};
    std::uint16_t port = 0;
    std::string prefix{};

    friend bool operator==(const base_url&, const base_url&) = default;
};

// parse_base_url
//
// Parses an http or https base URL; the port defaults to 80 / 443, a trailing '/' is stripped and
// any remaining path becomes `prefix` (prepended to request paths). Returns nullopt and sets
// *error (when given) to a message naming the URL for anything else: another scheme, an empty
// host, a bad port, a query or fragment. Never throws except std::bad_alloc.
std::optional<base_url> parse_base_url(std::string_view url, std::string* error = nullptr);

// percent_encode_segment
//
// Encodes one path segment per RFC 3986: unreserved characters, sub-delims, ':' and '@' stay
// raw; every other byte becomes %XX (uppercase hex). "stock:getPrice" is unchanged, "a/b#1" gives
// "a%2Fb%231". Cost: one allocation.
std::string percent_encode_segment(std::string_view segment);

}  // namespace forge::hive
