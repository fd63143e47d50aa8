// ECMAScript Number-to-String formatting of doubles (docs/record-format.md §2.3).
#include <forge/types/json_text.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace forge {
namespace {

// append_finite: d is finite. Uses the shortest round-trip digits from std::to_chars and lays
// them out as Number::toString does (integer form up to 1e21, plain decimals down to 1e-7).
void append_finite(std::string& out, double d) {
    if (d == 0) {
        out.push_back('0');
        return;
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    const char* p = buf;
    const char* end = res.ptr;
    if (*p == '-') {
        out.push_back('-');
        ++p;
    }
    char digits[32];
    int k = 0;
    while (p < end && *p != 'e') {
        if (*p != '.') digits[k++] = *p;
        ++p;
    }
    int exp10 = 0;
    if (p < end) {
        const char* e = p + 1;
        if (e < end && *e == '+') ++e;
        std::from_chars(e, end, exp10);
    }
    int n = exp10 + 1;
    if (k <= n && n <= 21) {
        out.append(digits, static_cast<std::size_t>(k));
        out.append(static_cast<std::size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out.append(digits, static_cast<std::size_t>(n));
        out.push_back('.');
        out.append(digits + n, static_cast<std::size_t>(k - n));
    } else if (-6 < n && n <= 0) {
        out.append("0.");
        out.append(static_cast<std::size_t>(-n), '0');
        out.append(digits, static_cast<std::size_t>(k));
    } else {
        out.push_back(digits[0]);
        if (k > 1) {
            out.push_back('.');
            out.append(digits + 1, static_cast<std::size_t>(k - 1));
        }
        out.push_back('e');
        out.push_back(n - 1 >= 0 ? '+' : '-');
        out.append(std::to_string(std::abs(n - 1)));
    }
}

}  // namespace

void write_json_number(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out.append("null");
        return;
    }
    append_finite(out, d);
}

std::string format_js_number(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    std::string out;
    append_finite(out, d);
    return out;
}

}  // namespace forge
