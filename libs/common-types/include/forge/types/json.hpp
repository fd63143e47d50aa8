// forge::json: the one JSON value type of the SDK, used for all user data in records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace forge {

class json;

// json_array: the elements of a JSON array, in order.
using json_array = std::vector<json>;

// json_member: one key and its value inside a JSON object.
using json_member = std::pair<std::string, json>;

// json_object: the members of a JSON object in insertion order. Keys are unique when built through
// insert_or_assign, json::set, collapse_repeated_keys or the decoder (last write wins, the key
// keeps its first position); a vector keeps small objects cheap and preserves the order the wire
// format requires.
using json_object = std::vector<json_member>;

// insert_or_assign
//
// Sets key to value in o, the SDK's one rule for a repeated key (JSON text, json::set, run
// metadata, docs/record-format.md): an existing key is assigned in place and keeps its first
// position; a new key is appended. Returns the stored value, valid until o next grows.
// Cost: one linear scan of o; allocates only to append (the key is copied then).
json& insert_or_assign(json_object& o, std::string_view key, json value);

// collapse_repeated_keys
//
// Gives o unique keys by insert_or_assign's rule, with the result of rebuilding o through
// insert_or_assign member by member: a repeated key keeps its first position and takes its last
// value. An object whose keys are already unique is left as it is. When key_comparisons is given,
// the number of key comparisons made (by hash or by bytes) is added to it.
// Cost: O(n) expected for n members: a pairwise scan (at most 120 comparisons) up to 16 members,
// a hash index beyond (under one comparison per member on average, allocating 24-40 bytes per
// member). Keys built to collide in the hash make it fall back to sorting after 4n comparisons, so
// the worst case is O(n log n), never quadratic. Repeats are removed in place (the capacity of o
// is kept). Thread-compatible; never throws except std::bad_alloc.
void collapse_repeated_keys(json_object& o, std::size_t* key_comparisons = nullptr);

// json_kind: which alternative a json value holds.
enum class json_kind : std::uint8_t {
    null,
    boolean,
    integer,
    uinteger,
    number,
    string,
    array,
    object
};

// json
//
// A JSON value that owns its data: null, bool, signed or unsigned 64-bit integer, double, string,
// array or object (insertion-ordered). Integers and doubles are kept apart so that integers are
// written without a decimal point and round-trip exactly. Copyable, movable, comparable.
//
// Equality (==) is structural and strict: kinds must match, except that integer, uinteger and
// number compare by numeric value (two integers exactly; an integer against a double as the
// nearest double, as JSON.parse would read it); object members compare in order. For the
// order-insensitive, type-aware equality used by tape matching see canonical_equal().
//
// Cost: a scalar or a short string (<= 15 bytes) does not allocate; arrays, objects and longer
// strings allocate like the std containers they are. sizeof(json) is 40 bytes.
class json {
public:
    using storage = std::variant<std::nullptr_t,
                                 bool,
                                 std::int64_t,
                                 std::uint64_t,
                                 double,
                                 std::string,
                                 json_array,
                                 json_object>;

    json() noexcept : v_(nullptr) {}
    json(std::nullptr_t) noexcept : v_(nullptr) {}
    json(bool b) noexcept : v_(b) {}
    json(int i) noexcept : v_(static_cast<std::int64_t>(i)) {}
    json(long i) noexcept : v_(static_cast<std::int64_t>(i)) {}
    json(long long i) noexcept : v_(static_cast<std::int64_t>(i)) {}
    json(unsigned u) noexcept : v_(static_cast<std::int64_t>(u)) {}
    json(unsigned long u) noexcept { set_unsigned(u); }
    json(unsigned long long u) noexcept { set_unsigned(u); }
    json(double d) noexcept : v_(d) {}
    json(float f) noexcept : v_(static_cast<double>(f)) {}
    json(std::string s) noexcept : v_(std::move(s)) {}
    json(std::string_view s) : v_(std::string(s)) {}
    json(const char* s) : v_(std::string(s)) {}
    json(json_array a) noexcept : v_(std::move(a)) {}
    json(json_object o) noexcept : v_(std::move(o)) {}

    // array / object: build a value of that kind from a list.
    static json array(std::initializer_list<json> items = {}) { return json(json_array(items)); }
    static json object(std::initializer_list<json_member> members = {});

    json_kind kind() const noexcept { return static_cast<json_kind>(v_.index()); }
    bool is_null() const noexcept { return kind() == json_kind::null; }
    bool is_bool() const noexcept { return kind() == json_kind::boolean; }
    // is_integer: holds an int64 or uint64 (not a double with an integral value).
    bool is_integer() const noexcept {
        return kind() == json_kind::integer || kind() == json_kind::uinteger;
    }
    // is_number: any of integer, uinteger, number.
    bool is_number() const noexcept {
        auto k = kind();
        return k == json_kind::integer || k == json_kind::uinteger || k == json_kind::number;
    }
    bool is_string() const noexcept { return kind() == json_kind::string; }
    bool is_array() const noexcept { return kind() == json_kind::array; }
    bool is_object() const noexcept { return kind() == json_kind::object; }

    // Accessors. Each throws forge::json_type_error naming the expected and actual kind when the
    // value holds another kind. as_double converts integers; as_int64 accepts a uint64 that fits
    // and a double with an exact int64 value.
    bool as_bool() const;
    std::int64_t as_int64() const;
    std::uint64_t as_uint64() const;
    double as_double() const;
    const std::string& as_string() const;
    std::string& as_string();
    const json_array& as_array() const;
    json_array& as_array();
    const json_object& as_object() const;
    json_object& as_object();

    // find: the member named key of an object, or nullptr (also for non-objects). Linear scan.
    const json* find(std::string_view key) const noexcept;
    json* find(std::string_view key) noexcept;

    // set: insert_or_assign(as_object(), key, value): last write wins, an existing key keeps its
    // position. A null value becomes an empty object first. Throws json_type_error for other
    // kinds.
    json& set(std::string_view key, json value);

    // push_back: appends to an array; a null value becomes an empty array first.
    json& push_back(json value);

    // size: elements of an array, members of an object, 0 otherwise.
    std::size_t size() const noexcept;

    const storage& raw() const noexcept { return v_; }
    storage& raw() noexcept { return v_; }

    friend bool operator==(const json& a, const json& b) noexcept;

private:
    void set_unsigned(unsigned long long u) noexcept {
        if (u <= static_cast<unsigned long long>(INT64_MAX)) {
            v_ = static_cast<std::int64_t>(u);
        } else {
            v_ = static_cast<std::uint64_t>(u);
        }
    }

    storage v_;
};

// kind_name: "null", "boolean", "number", "string", "array" or "object" (integers are "number").
std::string_view kind_name(json_kind k) noexcept;

// canonical_equal: type-aware equality used to match tape inputs (docs/record-format.md §2.5).
// Different JSON types never match; numbers by value (1 == 1.0, -0 == 0); strings by code units;
// arrays in order; objects by key set and values, ignoring key order. Costs O(n log n) per object.
bool canonical_equal(const json& a, const json& b) noexcept;

// canonical_hash: a hash consistent with canonical_equal (equal values hash equal).
std::size_t canonical_hash(const json& v) noexcept;

// canonical_hash_elements / canonical_equal_elements: the same for the array whose elements are
// elements[0..n), without building it (a boundary call's encoded arguments): equal to
// canonical_hash(json(array)) and canonical_equal(json(array), other).
std::size_t canonical_hash_elements(const json* elements, std::size_t n) noexcept;
bool canonical_equal_elements(const json* elements, std::size_t n, const json& other) noexcept;

}  // namespace forge
