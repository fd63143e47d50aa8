#include <forge/types/execution_record.hpp>

#include <catch2/catch.hpp>

using forge::execution_record;
using forge::json;
using forge::record_type;

TEST_CASE("record types have their spec names", "[execution_record]") {
    CHECK(forge::to_string(record_type::pending) == "pending");
    CHECK(forge::parse_record_type("success") == record_type::success);
    CHECK(forge::parse_record_type("error") == record_type::error);
    CHECK_FALSE(forge::parse_record_type("ok").has_value());
}

TEST_CASE("effective_type follows the classification rule", "[execution_record]") {
    execution_record r;
    CHECK(r.effective_type() == record_type::pending);
    r.output = json(nullptr);
    CHECK(r.effective_type() == record_type::pending);
    r.output = json(0);
    CHECK(r.effective_type() == record_type::success);
    r.output = json("");
    CHECK(r.effective_type() == record_type::success);
    r.error = "";
    CHECK(r.effective_type() == record_type::error);
    r.type = record_type::success;
    CHECK(r.effective_type() == record_type::success);
}

TEST_CASE("effective_error_category falls back to the message rules", "[execution_record]") {
    execution_record r;
    CHECK_FALSE(r.effective_error_category().has_value());
    r.error = "Invalid input on: x: bad";
    CHECK(r.effective_error_category() == forge::error_category::validation);
    r.error_category = forge::error_category::network;
    CHECK(r.effective_error_category() == forge::error_category::network);
    execution_record ok;
    ok.type = record_type::success;
    ok.error_category = forge::error_category::timeout;
    CHECK(ok.effective_error_category() == forge::error_category::timeout);
}

TEST_CASE("find_boundary finds calls by name", "[execution_record]") {
    execution_record r;
    r.boundaries.emplace_back("a", forge::boundary_calls{});
    r.boundaries.emplace_back("b", forge::boundary_calls(2));
    REQUIRE(r.find_boundary("b") != nullptr);
    CHECK(r.find_boundary("b")->size() == 2);
    CHECK(r.find_boundary("c") == nullptr);
}
