#include <forge/types/uuid.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

// matches_v7_shape: an oracle independent of forge::is_uuid_v7, character by character against
// xxxxxxxx-xxxx-7xxx-Vxxx-xxxxxxxxxxxx (x: lower-case hex digit, V: one of 8, 9, a, b).
bool matches_v7_shape(const std::string& id) {
    const std::string shape = "xxxxxxxx-xxxx-7xxx-Vxxx-xxxxxxxxxxxx";
    if (id.size() != shape.size()) return false;
    const std::string hex = "0123456789abcdef";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const char c = id[i];
        const bool ok = shape[i] == 'x'   ? hex.find(c) != std::string::npos
                        : shape[i] == 'V' ? std::string("89ab").find(c) != std::string::npos
                                          : c == shape[i];
        if (!ok) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("make_uuid_v7 has the v7 format and carries the timestamp", "[uuid]") {
    for (std::int64_t ms :
         {std::int64_t{0}, std::int64_t{1717000000010}, std::int64_t{0xFFFFFFFFFFFF}}) {
        std::string id = forge::make_uuid_v7(ms);
        CHECK(matches_v7_shape(id));
        CHECK(forge::is_uuid_v7(id));
        CHECK(forge::uuid_v7_unix_ms(id) == ms);
    }
    CHECK(forge::make_uuid_v7(1717000000010).substr(0, 13) == "018fc52c-d20a");
}

TEST_CASE("uuids from one thread increase within a millisecond", "[uuid]") {
    std::string prev = forge::make_uuid_v7(1717000000000);
    for (int i = 0; i < 10000; ++i) {
        std::string next = forge::make_uuid_v7(1717000000000);
        REQUIRE(next > prev);
        prev = next;
    }
    CHECK(forge::make_uuid_v7(1717000000001) > prev);
}

TEST_CASE("uuids are unique across threads", "[uuid]") {
    std::vector<std::vector<std::string>> per_thread(4);
    std::vector<std::thread> threads;
    for (auto& out : per_thread) {
        threads.emplace_back([&out] {
            for (int i = 0; i < 2000; ++i) out.push_back(forge::make_uuid_v7(1717000000000));
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> all;
    for (const auto& v : per_thread) all.insert(v.begin(), v.end());
    CHECK(all.size() == 8000);
}

TEST_CASE("is_uuid_v7 accepts uppercase and rejects other versions", "[uuid]") {
    CHECK(forge::is_uuid_v7("018FC52C-D20A-7B3E-9C41-5D2A8E6F0B17"));
    CHECK_FALSE(forge::is_uuid_v7("018fc52c-d20a-4b3e-9c41-5d2a8e6f0b17"));
    CHECK_FALSE(forge::is_uuid_v7("018fc52c-d20a-7b3e-cc41-5d2a8e6f0b17"));
    CHECK_FALSE(forge::is_uuid_v7("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b1"));
    CHECK_FALSE(forge::is_uuid_v7("018fc52cxd20a-7b3e-9c41-5d2a8e6f0b17"));
    CHECK(forge::uuid_v7_unix_ms("nope") == -1);
    CHECK(forge::uuid_v7_unix_ms("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17") == 1717000000010);
}

TEST_CASE("is_uuid accepts any version in either case and nothing else", "[uuid]") {
    CHECK(forge::is_uuid("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17"));
    CHECK(forge::is_uuid("167AA373-CECC-42B5-90D1-A29454D76504"));
    CHECK(forge::is_uuid("00000000-0000-0000-0000-000000000000"));
    CHECK_FALSE(forge::is_uuid(""));
    CHECK_FALSE(forge::is_uuid("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b1"));
    CHECK_FALSE(forge::is_uuid("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b177"));
    CHECK_FALSE(forge::is_uuid("018fc52cd20a-7b3e-9c41-5d2a8e6f0b17-"));
    CHECK_FALSE(forge::is_uuid("018fc52c-d20a-7b3e-9c41-5d2a8e6f0g17"));
    CHECK_FALSE(forge::is_uuid(std::string_view("018fc52c-d20a-7b3e-9c41-5d2a8e6f0b1\0", 36)));
    CHECK_FALSE(forge::is_uuid("../../etc/passwd"));
}
