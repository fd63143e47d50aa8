#include <forge/types/forge_json.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <temp_dir.hpp>

using forge::forge_json_error;
using forge::read_forge_json;

namespace {

std::filesystem::path write(const forge::test::temp_dir& dir, const std::string& text) {
    auto path = dir / "forge.json";
    std::ofstream(path) << text;
    return path;
}

// error_of: what read_forge_json says about `text`, or "" when it accepts it.
std::string error_of(const forge::test::temp_dir& dir, const std::string& text) {
    auto path = write(dir, text);
    try {
        read_forge_json(path);
    } catch (const forge_json_error& e) {
        CHECK(e.file() == path.string());
        return e.what();
    }
    return {};
}

}  // namespace

TEST_CASE("read_forge_json reads the project and the tasks in file order", "[forge_json]") {
    forge::test::temp_dir dir;
    auto path = write(dir, R"({"project":{"name":"Billing","uuid":"p-1","description":"d"},)"
                           R"("paths":{"tasks":"src"},"tasks":{"b:second":{"uuid":"t-2"},)"
                           R"("a:first":{"path":"x.ts","handler":"h","uuid":"t-1"}}})");
    auto f = read_forge_json(path);
    CHECK(f.path == path.string());
    CHECK(f.project_name == "Billing");
    CHECK(f.project_uuid == "p-1");
    CHECK(f.project_description == "d");
    REQUIRE(f.tasks.size() == 2);
    CHECK(f.tasks[0] == forge::forge_json_task{"b:second", "t-2"});
    CHECK(f.tasks[1] == forge::forge_json_task{"a:first", "t-1"});
    REQUIRE(f.find_task_uuid("a:first"));
    CHECK(*f.find_task_uuid("a:first") == "t-1");
    CHECK(f.find_task_uuid("A:FIRST") == nullptr);
    REQUIRE(f.document.find("paths"));
    CHECK(f.document.find("paths")->find("tasks")->as_string() == "src");
}

TEST_CASE("read_forge_json treats a missing project or tasks key as absent", "[forge_json]") {
    forge::test::temp_dir dir;
    auto f = read_forge_json(write(dir, R"({"infra":{}})"));
    CHECK_FALSE(f.project_name);
    CHECK_FALSE(f.project_uuid);
    CHECK(f.tasks.empty());
    auto g = read_forge_json(write(dir, R"({"project":{},"tasks":{}})"));
    CHECK_FALSE(g.project_uuid);
    CHECK(g.tasks.empty());
}

TEST_CASE("a malformed forge.json is an error naming the file and the key path", "[forge_json]") {
    forge::test::temp_dir dir;
    const std::string file = (dir / "forge.json").string();
    struct bad_case {
        std::string text;
        std::string error;
    };
    const bad_case cases[] = {
        {"[]", file + ": expected an object"},
        {R"({"project":"Billing"})", file + ": project: expected an object"},
        {R"({"project":{"name":3}})", file + ": project.name: expected a string"},
        {R"({"project":{"uuid":""}})", file + ": project.uuid: expected a non-empty string"},
        {R"({"project":{"uuid":null}})", file + ": project.uuid: expected a non-empty string"},
        {R"({"project":{"description":[]}})", file + ": project.description: expected a string"},
        {R"({"tasks":[1]})", file + ": tasks: expected an object"},
        {R"({"tasks":{"a:b":{"uuid":"t"},"bad":3}})", file + ": tasks.bad: expected an object"},
        {R"({"tasks":{"no:uuid":{"path":"x"}}})", file + ": tasks.no:uuid.uuid: missing"},
        {R"({"tasks":{"a:b":{"uuid":7}}})", file + ": tasks.a:b.uuid: expected a non-empty string"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        CHECK(error_of(dir, c.text) == c.error);
    }
}

TEST_CASE("forge.json that is not JSON is an error naming the file and the offset",
          "[forge_json]") {
    forge::test::temp_dir dir;
    auto path = write(dir, R"({"tasks": )");
    try {
        read_forge_json(path);
        FAIL("no error");
    } catch (const forge::decode_error& e) {
        CHECK(e.path().empty());
        CHECK_THAT(e.what(), Catch::StartsWith(path.string() + ": offset 10: "));
    }
}

TEST_CASE("a forge.json that cannot be opened is reported as not found", "[forge_json]") {
    forge::test::temp_dir dir;
    auto path = dir / "absent.json";
    CHECK_THROWS_AS(read_forge_json(path), forge::forge_json_not_found);
    CHECK_THROWS_WITH(read_forge_json(path), "forge.json not found at " + path.string());
}

TEST_CASE("parse_forge_json names the given file in errors and in the result", "[forge_json]") {
    CHECK(forge::parse_forge_json(R"({"tasks":{}})", "mem.json").path == "mem.json");
    CHECK_THROWS_WITH(forge::parse_forge_json(R"({"tasks":1})", "mem.json"),
                      "mem.json: tasks: expected an object");
}
