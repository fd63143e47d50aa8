// forge::read_forge_json: the one reader of forge.json (docs/forge-json.md §3), shared by the Hive
// client and the local hive server.
#pragma once

#include <forge/types/errors.hpp>
#include <forge/types/json.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

// forge_json_task: one entry of forge.json's `tasks` object: its key (the task name) and uuid.
struct forge_json_task {
    std::string name{};
    std::string uuid{};

    friend bool operator==(const forge_json_task&, const forge_json_task&) = default;
};

// forge_json_file
//
// What a forge.json says about its project: `project.name`, `project.uuid` and
// `project.description` (empty optionals when the file has no such key) and the tasks in file
// order. `document` is the whole parsed file, keys nobody reads included (`paths`, `infra`, a
// task's `path` and `handler`, ...); it is null for a default-constructed value. `path` is the
// file it was read from. Copyable value.
struct forge_json_file {
    std::string path{};
    std::optional<std::string> project_name{};
    std::optional<std::string> project_uuid{};
    std::optional<std::string> project_description{};
    std::vector<forge_json_task> tasks{};
    json document{};

    // find_task_uuid: the uuid of the task named exactly `name`, or nullptr. Linear scan.
    const std::string* find_task_uuid(std::string_view name) const noexcept;
};

// forge_json_error
//
// A forge.json that is not JSON or has a key of the wrong shape. what() reads
// "<file>: <key path>: <reason>", e.g. "/app/forge.json: tasks.invoice:total.uuid: expected a
// non-empty string". For text that is not JSON, path() is empty and reason() is the parser's
// message, so what() reads "<file>: offset 17: expected ',' or '}' after an object member".
// Catchable as forge::decode_error.
class forge_json_error : public decode_error {
public:
    forge_json_error(std::string file, std::string path, std::string reason);
    const std::string& file() const noexcept { return file_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    std::string file_;
    std::string message_;
};

// forge_json_not_found: the file cannot be opened or read. what() reads
// "forge.json not found at <path>" (hive-api wording, kept from the TypeScript client).
class forge_json_not_found : public std::runtime_error {
public:
    explicit forge_json_not_found(const std::string& path);
};

// parse_forge_json
//
// Reads forge.json text; `file` only names it in errors and fills `path`. The rules, each
// violation a forge_json_error naming the key path:
//   - the root is an object;
//   - `project` may be absent; when present it is an object whose `name` and `description` are
//     strings and whose `uuid` is a non-empty string, each optional;
//   - `tasks` may be absent (no tasks); when present it is an object, and each of its values is an
//     object with a non-empty string `uuid`;
//   - every other key, at any level, is kept in `document` and otherwise ignored.
// A null counts as a value of the wrong type, not as absent. Cost: one parse plus one copy of the
// task names and uuids.
forge_json_file parse_forge_json(std::string_view text, std::string_view file);

// read_forge_json: reads the file at `path`, then parse_forge_json. Throws forge_json_not_found
// when it cannot be opened or read, forge_json_error when it breaks a rule. Cost: one file read.
forge_json_file read_forge_json(const std::filesystem::path& path);

}  // namespace forge
