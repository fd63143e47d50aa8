#include <forge/types/record_uuid.hpp>
#include <forge/types/uuid.hpp>

#include <catch2/catch.hpp>

using forge::execution_record;
using forge::fill_missing_uuid;

namespace {

constexpr std::int64_t now_ms = 1717000009999;

execution_record with_start(std::int64_t start_ms) {
    execution_record r;
    r.timing = forge::timing_info{start_ms, start_ms + 5, 5, std::nullopt, std::nullopt};
    return r;
}

}  // namespace

TEST_CASE("fill_missing_uuid keeps an existing uuid as it is", "[uuid][ingest]") {
    auto r = with_start(1717000000010);
    r.uuid = "not-even-a-uuid";
    CHECK_FALSE(fill_missing_uuid(r, now_ms));
    CHECK(r.uuid == "not-even-a-uuid");
}

TEST_CASE("fill_missing_uuid stamps a missing or empty uuid with the record's start time",
          "[uuid][ingest]") {
    auto missing = with_start(1717000000010);
    REQUIRE(fill_missing_uuid(missing, now_ms));
    REQUIRE(missing.uuid);
    CHECK(forge::is_uuid_v7(*missing.uuid));
    CHECK(forge::uuid_v7_unix_ms(*missing.uuid) == 1717000000010);

    auto empty = with_start(1717000000020);
    empty.uuid = "";
    REQUIRE(fill_missing_uuid(empty, now_ms));
    CHECK(forge::uuid_v7_unix_ms(*empty.uuid) == 1717000000020);
}

TEST_CASE("fill_missing_uuid uses now for a record without a positive start time",
          "[uuid][ingest]") {
    execution_record no_timing;
    REQUIRE(fill_missing_uuid(no_timing, now_ms));
    CHECK(forge::uuid_v7_unix_ms(*no_timing.uuid) == now_ms);

    auto zero_start = with_start(0);
    REQUIRE(fill_missing_uuid(zero_start, now_ms));
    CHECK(forge::uuid_v7_unix_ms(*zero_start.uuid) == now_ms);
}
