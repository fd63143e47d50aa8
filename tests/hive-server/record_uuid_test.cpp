#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace forge::test;
using forge::json;

namespace {

// record_with_uuid: sample_record with its uuid replaced by `uuid` (any text).
std::string record_with_uuid(const std::string& uuid) {
    auto r = forge::parse_json(sample_record(""));
    r.set("uuid", uuid);
    return forge::to_json_text(r);
}

std::string upper(std::string s) {
    for (auto& c : s) {
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
    return s;
}

}  // namespace

TEST_CASE("a record uuid that is not a UUID is rejected with 400 naming the field",
          "[server][uuid]") {
    test_server s;
    const std::string bad[] = {
        std::string(100 * 1024, 'a'),
        std::string("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b1\0", 36),
        "../../etc/passwd",
        "018fc52c-d20a-7b3e-9c41-5d2a8e6f0b1",
        "018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17 ",
        "{018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17}",
    };
    for (const auto& uuid : bad) {
        INFO(uuid.substr(0, 60));
        auto r = s.post("/api/log-ingest", ingest_body(record_with_uuid(uuid)));
        CHECK(r.status == 400);
        CHECK(error_of(r) == "Missing or invalid field: uuid");
    }
    auto batch = s.post("/api/log-ingest/batch",
                        "{\"items\":[" + ingest_body(record_with_uuid("../../etc/passwd")) + "]}");
    REQUIRE(batch.status == 200);
    CHECK(parse_body(batch).find("results")->as_array().at(0) ==
          json::object(
              {{"uuid", nullptr}, {"status", 400}, {"error", "Missing or invalid field: uuid"}}));
    CHECK(parse_body(http_request(s.port(), "GET", "/healthz")).find("records")->as_int64() == 0);
}

TEST_CASE("any UUID version is accepted", "[server][uuid]") {
    test_server s;
    auto r = s.post("/api/log-ingest",
                    ingest_body(record_with_uuid("167aa373-cecc-42b5-90d1-a29454d76504")));
    CHECK(r.status == 201);
}

TEST_CASE("the upper-case form of a stored uuid is the same record, kept verbatim",
          "[server][uuid]") {
    test_server s;
    auto uuid = new_uuid();
    auto upper_uuid = upper(uuid);
    REQUIRE(upper_uuid != uuid);
    auto first = s.post("/api/log-ingest", ingest_body(record_with_uuid(upper_uuid)));
    REQUIRE(first.status == 201);
    CHECK(parse_body(first).find("uuid")->as_string() == uuid);
    auto again = s.post("/api/log-ingest", ingest_body(record_with_uuid(uuid)));
    CHECK(again.status == 200);
    CHECK(parse_body(http_request(s.port(), "GET", "/healthz")).find("records")->as_int64() == 1);
    for (const auto& form : {uuid, upper_uuid}) {
        auto got = s.get("/api/tasks/invoice:total/logs/" + form);
        REQUIRE(got.status == 200);
        CHECK(parse_body(got).find("logItem")->find("uuid")->as_string() == upper_uuid);
    }
}
