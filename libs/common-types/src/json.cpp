// forge::json accessors, equality and canonical hashing.
#include <forge/types/errors.hpp>
#include <forge/types/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge {
namespace {

[[noreturn]] void throw_kind(std::string_view expected, json_kind actual) {
    throw json_type_error("json: expected " + std::string(expected) + ", got " +
                          std::string(kind_name(actual)));
}

constexpr double two_pow_63 = 9223372036854775808.0;
constexpr double two_pow_64 = 18446744073709551616.0;

bool double_to_int64(double d, std::int64_t& out) noexcept {
    if (!(d >= -two_pow_63 && d < two_pow_63) || std::trunc(d) != d) return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

bool double_to_uint64(double d, std::uint64_t& out) noexcept {
    if (!(d >= 0 && d < two_pow_64) || std::trunc(d) != d) return false;
    out = static_cast<std::uint64_t>(d);
    return true;
}

bool numbers_equal(const json& a, const json& b) noexcept {
    const auto& ra = a.raw();
    const auto& rb = b.raw();
    auto ka = a.kind();
    auto kb = b.kind();
    if (ka == json_kind::number && kb == json_kind::number) {
        return std::get<double>(ra) == std::get<double>(rb);
    }
    if (ka == json_kind::number || kb == json_kind::number) {
        // An integer against a double compares as JavaScript would: the integer as the nearest
        // double. So 197777777777777800 (the text written for that double) equals it.
        double d = ka == json_kind::number ? std::get<double>(ra) : std::get<double>(rb);
        const json& other = ka == json_kind::number ? b : a;
        if (other.kind() == json_kind::integer) {
            return static_cast<double>(std::get<std::int64_t>(other.raw())) == d;
        }
        return static_cast<double>(std::get<std::uint64_t>(other.raw())) == d;
    }
    if (ka == kb) {
        return ka == json_kind::integer
                   ? std::get<std::int64_t>(ra) == std::get<std::int64_t>(rb)
                   : std::get<std::uint64_t>(ra) == std::get<std::uint64_t>(rb);
    }
    std::int64_t i =
        ka == json_kind::integer ? std::get<std::int64_t>(ra) : std::get<std::int64_t>(rb);
    std::uint64_t u =
        ka == json_kind::uinteger ? std::get<std::uint64_t>(ra) : std::get<std::uint64_t>(rb);
    return i >= 0 && static_cast<std::uint64_t>(i) == u;
}

std::size_t mix(std::size_t h) noexcept {
    std::uint64_t x = h;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return static_cast<std::size_t>(x);
}

std::size_t combine(std::size_t seed, std::size_t h) noexcept {
    return mix(seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

// number_hash: integers within ±2^53 hash as themselves; every other number hashes as the
// double it compares equal to, so numbers_equal values always hash alike.
std::size_t number_hash(const json& v) noexcept {
    constexpr std::int64_t exact_limit = std::int64_t{1} << 53;
    double d = 0;
    switch (v.kind()) {
        case json_kind::integer: {
            std::int64_t i = std::get<std::int64_t>(v.raw());
            if (i >= -exact_limit && i <= exact_limit) return mix(static_cast<std::size_t>(i));
            d = static_cast<double>(i);
            break;
        }
        case json_kind::uinteger: {
            std::uint64_t u = std::get<std::uint64_t>(v.raw());
            if (u <= static_cast<std::uint64_t>(exact_limit))
                return mix(static_cast<std::size_t>(u));
            d = static_cast<double>(u);
            break;
        }
        default:
            d = std::get<double>(v.raw());
    }
    std::int64_t i = 0;
    std::uint64_t u = 0;
    if (double_to_int64(d, i)) return mix(static_cast<std::size_t>(i));
    if (double_to_uint64(d, u)) return mix(static_cast<std::size_t>(u));
    return mix(std::bit_cast<std::uint64_t>(d));
}

std::vector<const json_member*> sorted_members(const json_object& o) {
    std::vector<const json_member*> out;
    out.reserve(o.size());
    for (const auto& m : o) out.push_back(&m);
    std::stable_sort(out.begin(), out.end(), [](const json_member* a, const json_member* b) {
        return a->first < b->first;
    });
    return out;
}

}  // namespace

json json::object(std::initializer_list<json_member> members) {
    json out{json_object{}};
    for (const auto& m : members) out.set(m.first, m.second);
    return out;
}

bool json::as_bool() const {
    if (const auto* b = std::get_if<bool>(&v_)) return *b;
    throw_kind("boolean", kind());
}

std::int64_t json::as_int64() const {
    switch (kind()) {
        case json_kind::integer:
            return std::get<std::int64_t>(v_);
        case json_kind::uinteger: {
            auto u = std::get<std::uint64_t>(v_);
            if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
            throw json_type_error("json: number " + std::to_string(u) + " does not fit int64");
        }
        case json_kind::number: {
            std::int64_t i = 0;
            if (double_to_int64(std::get<double>(v_), i)) return i;
            throw json_type_error("json: number is not an exact int64");
        }
        default:
            throw_kind("number", kind());
    }
}

std::uint64_t json::as_uint64() const {
    switch (kind()) {
        case json_kind::integer: {
            auto i = std::get<std::int64_t>(v_);
            if (i >= 0) return static_cast<std::uint64_t>(i);
            throw json_type_error("json: number " + std::to_string(i) + " is negative");
        }
        case json_kind::uinteger:
            return std::get<std::uint64_t>(v_);
        case json_kind::number: {
            std::uint64_t u = 0;
            if (double_to_uint64(std::get<double>(v_), u)) return u;
            throw json_type_error("json: number is not an exact uint64");
        }
        default:
            throw_kind("number", kind());
    }
}

double json::as_double() const {
    switch (kind()) {
        case json_kind::integer:
            return static_cast<double>(std::get<std::int64_t>(v_));
        case json_kind::uinteger:
            return static_cast<double>(std::get<std::uint64_t>(v_));
        case json_kind::number:
            return std::get<double>(v_);
        default:
            throw_kind("number", kind());
    }
}

const std::string& json::as_string() const {
    if (const auto* s = std::get_if<std::string>(&v_)) return *s;
    throw_kind("string", kind());
}

std::string& json::as_string() {
    if (auto* s = std::get_if<std::string>(&v_)) return *s;
    throw_kind("string", kind());
}

const json_array& json::as_array() const {
    if (const auto* a = std::get_if<json_array>(&v_)) return *a;
    throw_kind("array", kind());
}

json_array& json::as_array() {
    if (auto* a = std::get_if<json_array>(&v_)) return *a;
    throw_kind("array", kind());
}

const json_object& json::as_object() const {
    if (const auto* o = std::get_if<json_object>(&v_)) return *o;
    throw_kind("object", kind());
}

json_object& json::as_object() {
    if (auto* o = std::get_if<json_object>(&v_)) return *o;
    throw_kind("object", kind());
}

const json* json::find(std::string_view key) const noexcept {
    const auto* o = std::get_if<json_object>(&v_);
    if (o == nullptr) return nullptr;
    for (const auto& m : *o) {
        if (m.first == key) return &m.second;
    }
    return nullptr;
}

json* json::find(std::string_view key) noexcept {
    return const_cast<json*>(static_cast<const json&>(*this).find(key));
}

json& insert_or_assign(json_object& o, std::string_view key, json value) {
    for (auto& m : o) {
        if (m.first == key) {
            m.second = std::move(value);
            return m.second;
        }
    }
    o.emplace_back(std::string(key), std::move(value));
    return o.back().second;
}

namespace {

// pairwise_limit: the largest object whose repeated keys are found by a pairwise scan.
constexpr std::size_t pairwise_limit = 16;

// move_into_first_positions: rebuilds o from first[i], the index of the first member sharing o[i]'s
// key (i itself for a first occurrence), as the fold of insert_or_assign over o would: each first
// occurrence in order, holding the value of the key's last occurrence. Compacts in place (as
// std::remove_if does: a slot is written only once its member has moved out) and reuses first for
// the new positions.
void move_into_first_positions(json_object& o, std::size_t* first) {
    const std::size_t n = o.size();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (first[i] == i) {
            if (kept != i) o[kept] = std::move(o[i]);
            first[i] = kept++;
        } else {
            o[first[first[i]]].second = std::move(o[i].second);
        }
    }
    o.erase(o.begin() + static_cast<std::ptrdiff_t>(kept), o.end());
}

// first_by_pairs: fills first (see move_into_first_positions) for a small object; false when no
// key repeats. A fingerprint (length and two bytes) rules out most objects before any comparison.
bool first_by_pairs(const json_object& o, std::size_t* first, std::size_t& comparisons) {
    const std::size_t n = o.size();
    std::uint64_t seen = 0;
    bool maybe = false;
    for (const auto& m : o) {
        const std::string& k = m.first;
        std::size_t h = k.size() * 31 + (k.empty() ? 0
                                                   : static_cast<unsigned char>(k.front()) +
                                                         7u * static_cast<unsigned char>(k.back()));
        std::uint64_t bit = std::uint64_t{1} << (h & 63);
        if ((seen & bit) != 0) maybe = true;
        seen |= bit;
    }
    if (!maybe) return false;
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
        first[i] = i;
        for (std::size_t j = 0; j < i; ++j) {
            ++comparisons;
            if (o[i].first == o[j].first) {
                first[i] = first[j];
                any = true;
                break;
            }
        }
    }
    return any;
}

// first_by_sorting: fills first by a stable sort of member indices by key: O(n log n)
// comparisons whatever the keys.
bool first_by_sorting(const json_object& o,
                      std::vector<std::size_t>& first,
                      std::size_t& comparisons) {
    const std::size_t n = o.size();
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        ++comparisons;
        return o[a].first < o[b].first;
    });
    bool any = false;
    std::size_t leader = order[0];
    first[leader] = leader;
    for (std::size_t k = 1; k < n; ++k) {
        ++comparisons;
        if (o[order[k]].first != o[leader].first) leader = order[k];
        any = any || leader != order[k];
        first[order[k]] = leader;
    }
    return any;
}

// first_by_hashing: fills first through an open-addressing index of the keys (linear probing,
// load at most 1/2): O(n) expected. Returns nullopt when the probes exceed their budget, which
// only keys built to collide cause; the caller then sorts instead.
std::optional<bool> first_by_hashing(const json_object& o,
                                     std::vector<std::size_t>& first,
                                     std::size_t& comparisons) {
    struct slot {
        std::uint32_t tag;
        std::uint32_t member_plus_one;
    };
    const std::size_t n = o.size();
    std::size_t capacity = 64;
    while (capacity < 2 * n) capacity *= 2;
    const std::size_t mask = capacity - 1;
    const std::size_t budget = comparisons + 4 * n;  // about n / 2 expected
    std::vector<slot> table(capacity, slot{0, 0});
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& key = o[i].first;
        const std::uint64_t h = std::hash<std::string_view>{}(key);
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        first[i] = i;
        for (std::size_t s = static_cast<std::size_t>(h) & mask;; s = (s + 1) & mask) {
            slot& at = table[s];
            if (at.member_plus_one == 0) {
                at = slot{tag, static_cast<std::uint32_t>(i + 1)};
                break;
            }
            if (++comparisons > budget) return std::nullopt;
            const std::size_t j = at.member_plus_one - 1;
            if (at.tag == tag && o[j].first == key) {
                first[i] = j;
                any = true;
                break;
            }
        }
    }
    return any;
}

}  // namespace

void collapse_repeated_keys(json_object& o, std::size_t* key_comparisons) {
    const std::size_t n = o.size();
    if (n < 2) return;
    std::size_t comparisons = 0;
    if (n <= pairwise_limit) {
        std::size_t first[pairwise_limit];
        if (first_by_pairs(o, first, comparisons)) move_into_first_positions(o, first);
    } else {
        std::vector<std::size_t> first(n);
        std::optional<bool> any;
        if (n < std::numeric_limits<std::uint32_t>::max())
            any = first_by_hashing(o, first, comparisons);
        if (!any) any = first_by_sorting(o, first, comparisons);
        if (*any) move_into_first_positions(o, first.data());
    }
    if (key_comparisons != nullptr) *key_comparisons += comparisons;
}

json& json::set(std::string_view key, json value) {
    if (is_null()) v_ = json_object{};
    return insert_or_assign(as_object(), key, std::move(value));
}

json& json::push_back(json value) {
    if (is_null()) v_ = json_array{};
    auto& a = as_array();
    a.push_back(std::move(value));
    return a.back();
}

std::size_t json::size() const noexcept {
    if (const auto* a = std::get_if<json_array>(&v_)) return a->size();
    if (const auto* o = std::get_if<json_object>(&v_)) return o->size();
    return 0;
}

bool operator==(const json& a, const json& b) noexcept {
    if (a.is_number() && b.is_number()) return numbers_equal(a, b);
    if (a.kind() != b.kind()) return false;
    return a.v_ == b.v_;
}

std::string_view kind_name(json_kind k) noexcept {
    switch (k) {
        case json_kind::null:
            return "null";
        case json_kind::boolean:
            return "boolean";
        case json_kind::integer:
        case json_kind::uinteger:
        case json_kind::number:
            return "number";
        case json_kind::string:
            return "string";
        case json_kind::array:
            return "array";
        case json_kind::object:
            return "object";
    }
    return "unknown";
}

bool canonical_equal(const json& a, const json& b) noexcept {
    if (a.is_number() && b.is_number()) return numbers_equal(a, b);
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case json_kind::null:
            return true;
        case json_kind::boolean:
            return std::get<bool>(a.raw()) == std::get<bool>(b.raw());
        case json_kind::string:
            return std::get<std::string>(a.raw()) == std::get<std::string>(b.raw());
        case json_kind::array: {
            const auto& x = std::get<json_array>(a.raw());
            const auto& y = std::get<json_array>(b.raw());
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (!canonical_equal(x[i], y[i])) return false;
            }
            return true;
        }
        case json_kind::object: {
            const auto& x = std::get<json_object>(a.raw());
            const auto& y = std::get<json_object>(b.raw());
            if (x.size() != y.size()) return false;
            try {
                auto sx = sorted_members(x);
                auto sy = sorted_members(y);
                for (std::size_t i = 0; i < sx.size(); ++i) {
                    if (sx[i]->first != sy[i]->first) return false;
                    if (!canonical_equal(sx[i]->second, sy[i]->second)) return false;
                }
                return true;
            } catch (...) {
                return false;
            }
        }
        default:
            return false;
    }
}

std::size_t canonical_hash(const json& v) noexcept {
    switch (v.kind()) {
        case json_kind::null:
            return 0x6e756c6cULL;
        case json_kind::boolean:
            return std::get<bool>(v.raw()) ? 0x74727565ULL : 0x66616c73ULL;
        case json_kind::integer:
        case json_kind::uinteger:
        case json_kind::number:
            return combine(1, number_hash(v));
        case json_kind::string:
            return combine(2, std::hash<std::string>{}(std::get<std::string>(v.raw())));
        case json_kind::array: {
            const auto& a = std::get<json_array>(v.raw());
            return canonical_hash_elements(a.data(), a.size());
        }
        case json_kind::object: {
            std::size_t sum = 0;
            for (const auto& m : std::get<json_object>(v.raw())) {
                sum += combine(std::hash<std::string>{}(m.first), canonical_hash(m.second));
            }
            return combine(4, sum);
        }
    }
    return 0;
}

std::size_t canonical_hash_elements(const json* elements, std::size_t n) noexcept {
    std::size_t h = 3;
    for (std::size_t i = 0; i < n; ++i) h = combine(h, canonical_hash(elements[i]));
    return h;
}

bool canonical_equal_elements(const json* elements, std::size_t n, const json& other) noexcept {
    if (!other.is_array()) return false;
    const auto& a = std::get<json_array>(other.raw());
    if (a.size() != n) return false;
    for (std::size_t i = 0; i < n; ++i) {
        if (!canonical_equal(elements[i], a[i])) return false;
    }
    return true;
}

}  // namespace forge
