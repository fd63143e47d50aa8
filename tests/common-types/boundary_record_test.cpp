#include <forge/types/boundary_record.hpp>

#include <catch2/catch.hpp>

TEST_CASE("provenance names round-trip", "[boundary_record]") {
    for (auto p : {forge::provenance::live, forge::provenance::tape,
                   forge::provenance::tape_fallback, forge::provenance::mock}) {
        CHECK(forge::parse_provenance(forge::to_string(p)) == p);
    }
    CHECK(forge::to_string(forge::provenance::tape_fallback) == "tape-fallback");
    CHECK_FALSE(forge::parse_provenance("tape_fallback").has_value());
}

TEST_CASE("a boundary entry is an error exactly when it has an error text", "[boundary_record]") {
    forge::boundary_record b;
    CHECK(b.input == forge::json::array());
    CHECK_FALSE(b.is_error());
    b.error = "";
    CHECK(b.is_error());
    forge::boundary_record c = b;
    CHECK(c == b);
    c.seq = 1;
    CHECK(c != b);
}
