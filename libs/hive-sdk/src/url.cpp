#include <forge/hive/url.hpp>

#include <charconv>

namespace forge::hive {

namespace {

bool fail(std::string* error, std::string_view url, std::string_view why) {
    if (error) {
        *error = "invalid host URL \"";
        error->append(url);
        error->append("\": ");
        error->append(why);
    }
    return false;
}

bool keeps_raw(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '-':
        case '.':
        case '_':
        case '~':  // unreserved
        case '!':
        case '$':
        case '&':
        case '\'':
        case '(':
        case ')':  // sub-delims
        case '*':
        case '+':
        case ',':
        case ';':
        case '=':
        case ':':
        case '@':
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<base_url> parse_base_url(std::string_view url, std::string* error) {
    base_url out;
    std::string_view rest = url;
    if (rest.starts_with("http://")) {
        out.scheme = "http";
        out.port = 80;
        rest.remove_prefix(7);
    } else if (rest.starts_with("https://")) {
        out.scheme = "https";
        out.port = 443;
        rest.remove_prefix(8);
    } else {
        fail(error, url, "expected http:// or https://");
        return std::nullopt;
    }
    if (rest.find_first_of("?#") != std::string_view::npos) {
        fail(error, url, "query and fragment are not allowed");
        return std::nullopt;
    }
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path =
        slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (authority.find('@') != std::string_view::npos) {
        fail(error, url, "user info is not allowed");
        return std::nullopt;
    }
    std::string_view host = authority;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) {
            fail(error, url, "unterminated IPv6 address");
            return std::nullopt;
        }
        host = authority.substr(1, close - 1);
        authority.remove_prefix(close + 1);
        if (!authority.empty() && authority.front() != ':') {
            fail(error, url, "unexpected text after the IPv6 address");
            return std::nullopt;
        }
    } else {
        auto colon = authority.find(':');
        host = authority.substr(0, colon);
        authority = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
    }
    if (host.empty()) {
        fail(error, url, "empty host");
        return std::nullopt;
    }
    if (!authority.empty()) {
        std::string_view digits = authority.substr(1);
        unsigned value = 0;
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() ||
            value == 0 || value > 65535) {
            fail(error, url, "bad port");
            return std::nullopt;
        }
        out.port = static_cast<std::uint16_t>(value);
    }
    out.host = std::string(host);
    out.prefix = std::string(path);
    return out;
}

std::string percent_encode_segment(std::string_view segment) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(segment.size());
    for (char ch : segment) {
        auto c = static_cast<unsigned char>(ch);
        if (keeps_raw(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
    }
    return out;
}

}  // namespace forge::hive
