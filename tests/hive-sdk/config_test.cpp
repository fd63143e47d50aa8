#include <forge/hive/config.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <temp_dir.hpp>

using namespace forge::hive;

namespace {

// env_guard: sets or clears one variable for a test and restores it afterwards.
struct env_guard {
    std::string name;
    std::optional<std::string> old;
    env_guard(std::string n, const char* value) : name(std::move(n)) {
        if (const char* v = std::getenv(name.c_str())) old = v;
        if (value) {
            ::setenv(name.c_str(), value, 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
    ~env_guard() {
        if (old) {
            ::setenv(name.c_str(), old->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
};

std::string write(const forge::test::temp_dir& dir, const std::string& text) {
    auto p = dir / "forge.json";
    std::ofstream(p) << text;
    return p.string();
}

}  // namespace

TEST_CASE("mask_secret follows the masking table", "[config]") {
    CHECK(mask_secret("").is_null());
    CHECK(mask_secret("abc") == forge::json("****"));
    CHECK(mask_secret("abcdefgh") == forge::json("****"));
    CHECK(mask_secret("abcdefghi") == forge::json("abcd*fghi"));
    CHECK(mask_secret("abcdefghijkl") == forge::json("abcd****ijkl"));
}

TEST_CASE("from_env fills only unset values and treats empty variables as unset", "[config]") {
    env_guard k("HIVE_API_KEY", "env-key");
    env_guard s("HIVE_API_SECRET", "");
    env_guard h("HIVE_HOST", "http://env-host:1");
    client_config explicit_config;
    explicit_config.api_secret = "explicit-secret";
    explicit_config.host = "http://explicit:2";
    auto c = client_config::from_env(explicit_config);
    CHECK(c.api_key == "env-key");
    CHECK(c.api_secret == "explicit-secret");
    CHECK(c.host == "http://explicit:2");

    auto only_env = client_config::from_env();
    CHECK(only_env.api_secret.empty());
    CHECK(only_env.host == "http://env-host:1");
    CHECK_FALSE(only_env.has_credentials());
}

TEST_CASE("load_forge_config maps task names to uuids and ignores other keys", "[config]") {
    forge::test::temp_dir dir;
    auto path = write(dir, R"({"project":{"name":"Billing","uuid":"p-1"},"infra":{},)"
                           R"("tasks":{"a:b":{"path":"x","uuid":"t-1"},"c":{"uuid":"t-2"}}})");
    auto cfg = load_forge_config(path);
    CHECK_FALSE(cfg.error);
    CHECK(cfg.path == path);
    CHECK(cfg.project_name == "Billing");
    CHECK(cfg.project_uuid == "p-1");
    REQUIRE(cfg.tasks.size() == 2);
    REQUIRE(cfg.find_task_uuid("a:b"));
    CHECK(*cfg.find_task_uuid("a:b") == "t-1");
    CHECK(cfg.find_task_uuid("A:B") == nullptr);
    CHECK(cfg.document.find("infra"));
}

TEST_CASE("load_forge_config reports a missing file as no tasks", "[config]") {
    forge::test::temp_dir dir;
    auto missing = load_forge_config((dir / "nope.json").string());
    REQUIRE(missing.error);
    CHECK(*missing.error == "forge.json not found at " + (dir / "nope.json").string());
    CHECK(missing.tasks.empty());
    CHECK(missing.document.is_null());

    auto no_tasks = load_forge_config(write(dir, R"({"project":{"name":"x"}})"));
    CHECK_FALSE(no_tasks.error);
    CHECK(no_tasks.tasks.empty());
}

TEST_CASE("load_forge_config throws for a malformed file, naming it and the key path", "[config]") {
    forge::test::temp_dir dir;
    const std::string file = (dir / "forge.json").string();
    CHECK_THROWS_WITH(load_forge_config(write(dir, R"({"tasks":{"a:b":{"uuid":"t"},"bad":3}})")),
                      file + ": tasks.bad: expected an object");
    CHECK_THROWS_WITH(load_forge_config(write(dir, R"({"tasks":[1]})")),
                      file + ": tasks: expected an object");
    CHECK_THROWS_AS(load_forge_config(write(dir, "{\"tasks\": ")), forge::forge_json_error);
}

TEST_CASE("from_forge_json takes the project from the file and lets extra override", "[config]") {
    forge::test::temp_dir dir;
    auto path = write(dir, R"({"project":{"name":"Billing","uuid":"p-1"},"tasks":{}})");
    client_config extra;
    extra.api_key = "k";
    extra.project_name = "Other";
    extra.ca_file = "/etc/private-ca.pem";
    auto c = client_config::from_forge_json(path, extra);
    CHECK(c.project_name == "Other");
    CHECK(c.project_uuid == "p-1");
    CHECK(c.api_key == "k");
    CHECK(c.ca_file == "/etc/private-ca.pem");
    CHECK(c.forge_config_path == path);
}

TEST_CASE("from_forge_json throws for a missing file and for a malformed one", "[config]") {
    forge::test::temp_dir dir;
    auto missing = (dir / "missing.json").string();
    CHECK_THROWS_WITH(client_config::from_forge_json(missing),
                      "forge.json not found at " + missing);
    auto bad = write(dir, "{oops");
    CHECK_THROWS_AS(client_config::from_forge_json(bad), forge::forge_json_error);
    auto wrong_shape = write(dir, R"({"project":{"uuid":5}})");
    CHECK_THROWS_WITH(client_config::from_forge_json(wrong_shape),
                      wrong_shape + ": project.uuid: expected a non-empty string");
}

TEST_CASE("normalize_host strips trailing slashes", "[config]") {
    CHECK(normalize_host("http://h:1//") == "http://h:1");
    CHECK(normalize_host("http://h") == "http://h");
}
