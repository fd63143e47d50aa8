#include <forge/task/codec.hpp>
#include <forge/types/errors.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {

template <class T>
T round_trip(const T& v) {
    return forge::from_json<T>(forge::to_json(v));
}

std::string decode_failure(const forge::json& j, auto tag) {
    using T = decltype(tag);
    try {
        (void)forge::from_json<T>(j);
    } catch (const forge::decode_error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("scalars round-trip through the codec", "[codec]") {
    CHECK(round_trip(true) == true);
    CHECK(round_trip(false) == false);
    CHECK(round_trip(0) == 0);
    CHECK(round_trip(-42) == -42);
    CHECK(round_trip(std::numeric_limits<std::int64_t>::min()) ==
          std::numeric_limits<std::int64_t>::min());
    CHECK(round_trip(std::numeric_limits<std::uint64_t>::max()) ==
          std::numeric_limits<std::uint64_t>::max());
    CHECK(round_trip(static_cast<short>(-7)) == -7);
    CHECK(round_trip(static_cast<unsigned char>(200)) == 200);
    CHECK(round_trip(19.5) == 19.5);
    CHECK(round_trip(1.5f) == 1.5f);
    CHECK(round_trip(std::string("héllo \"quoted\"")) == "héllo \"quoted\"");
    CHECK(forge::to_json(42) == forge::json(42));
    CHECK(forge::to_json(42).is_integer());
    CHECK(forge::to_json(2.5).kind() == forge::json_kind::number);
}

TEST_CASE("containers round-trip through the codec", "[codec]") {
    std::vector<int> v{1, 2, 3};
    CHECK(round_trip(v) == v);
    std::map<std::string, double> m{{"a", 1.5}, {"b", -2}};
    CHECK(round_trip(m) == m);
    std::optional<std::string> some("x"), none;
    CHECK(round_trip(some) == some);
    CHECK(round_trip(none) == none);
    CHECK(forge::to_json(none).is_null());
    std::pair<std::string, int> p{"k", 3};
    CHECK(round_trip(p) == p);
    std::tuple<int, std::string, bool> t{1, "two", true};
    CHECK(round_trip(t) == t);
    CHECK(forge::to_json(t) == forge::json::array({1, "two", true}));
    std::vector<std::vector<int>> nested{{1}, {}, {2, 3}};
    CHECK(round_trip(nested) == nested);
    forge::json raw = forge::json::object({{"any", forge::json::array({1, nullptr})}});
    CHECK(round_trip(raw) == raw);
}

TEST_CASE("string views and C strings encode as JSON strings", "[codec]") {
    CHECK(forge::to_json(std::string_view("abc")) == forge::json("abc"));
    const char* s = "xyz";
    CHECK(forge::codec<const char*>::to_json(s) == forge::json("xyz"));
}

TEST_CASE("decoding a scalar of the wrong kind names the expected and received kinds", "[codec]") {
    CHECK_THAT(decode_failure(forge::json("7"), int{}),
               Catch::EndsWith(": expected integer, received string"));
    CHECK_THAT(decode_failure(forge::json(1.5), int{}),
               Catch::Contains("expected integer, received number"));
    CHECK_THAT(decode_failure(forge::json(300), static_cast<unsigned char>(0)),
               Catch::Contains("integer out of range: 300"));
    CHECK_THAT(decode_failure(forge::json(-1), std::uint64_t{}),
               Catch::Contains("integer out of range: -1"));
    CHECK_THAT(decode_failure(forge::json(1e300), std::int64_t{}),
               Catch::Contains("integer out of range"));
    CHECK_THAT(decode_failure(forge::json(nullptr), std::string{}),
               Catch::Contains("expected string, received null"));
    CHECK_THAT(decode_failure(forge::json(1), true),
               Catch::Contains("expected boolean, received number"));
}

TEST_CASE("nullptr encodes as JSON null and decodes only from null", "[codec]") {
    CHECK(forge::to_json(nullptr) == forge::json());
    CHECK(forge::from_json<std::nullptr_t>(forge::json()) == nullptr);
    CHECK(decode_failure(forge::json(0), nullptr) == "(root): expected null, received number");
}

TEST_CASE("an integral double decodes into an integer", "[codec]") {
    CHECK(forge::from_json<int>(forge::json(3.0)) == 3);
    CHECK(forge::from_json<double>(forge::json(3)) == 3.0);
}

TEST_CASE("decoding errors inside containers name the element path", "[codec]") {
    forge::json j = forge::json::array({1, 2, "x"});
    try {
        (void)forge::from_json<std::vector<int>>(j);
        FAIL("expected a decode_error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path() == "2");
        CHECK(e.reason() == "expected integer, received string");
    }
    forge::json m =
        forge::json::object({{"a", forge::json::array({1})}, {"b", forge::json::array({true})}});
    try {
        (void)forge::from_json<std::map<std::string, std::vector<int>>>(m);
        FAIL("expected a decode_error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path() == "b.0");
    }
    CHECK_THAT(decode_failure(forge::json::array({1}), std::pair<int, int>{}),
               Catch::Contains("expected array of 2 items, received 1"));
}
