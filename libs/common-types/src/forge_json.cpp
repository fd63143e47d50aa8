// The forge.json reader (docs/forge-json.md).
#include <forge/types/forge_json.hpp>
#include <forge/types/json_text.hpp>

#include <fstream>
#include <sstream>
#include <utility>

namespace forge {
namespace {

std::string key_path(std::string_view parent, std::string_view key) {
    std::string out(parent);
    if (!out.empty()) out.push_back('.');
    out.append(key);
    return out;
}

// reader: checks one parsed document, naming `file` and the key path in every error.
struct reader {
    std::string_view file;

    [[noreturn]] void fail(std::string path, std::string reason) const {
        throw forge_json_error(std::string(file), std::move(path), std::move(reason));
    }

    const json_object& object_at(const json& v, const std::string& path) const {
        if (!v.is_object()) fail(path, "expected an object");
        return v.as_object();
    }

    std::optional<std::string> string_at(const json& parent,
                                         std::string_view parent_path,
                                         std::string_view key,
                                         bool non_empty) const {
        const json* v = parent.find(key);
        if (!v) return std::nullopt;
        if (!v->is_string() || (non_empty && v->as_string().empty())) {
            fail(key_path(parent_path, key),
                 non_empty ? "expected a non-empty string" : "expected a string");
        }
        return v->as_string();
    }
};

}  // namespace

forge_json_error::forge_json_error(std::string file, std::string path, std::string reason)
    : decode_error(std::move(path), std::move(reason)), file_(std::move(file)) {
    message_ = file_ + ": ";
    if (!this->path().empty()) message_ += this->path() + ": ";
    message_ += this->reason();
}

forge_json_not_found::forge_json_not_found(const std::string& path)
    : std::runtime_error("forge.json not found at " + path) {}

const std::string* forge_json_file::find_task_uuid(std::string_view name) const noexcept {
    for (const auto& task : tasks) {
        if (task.name == name) return &task.uuid;
    }
    return nullptr;
}

forge_json_file parse_forge_json(std::string_view text, std::string_view file) {
    const reader r{file};
    forge_json_file out;
    out.path = std::string(file);
    try {
        out.document = parse_json(text);
    } catch (const json_parse_error& e) {
        r.fail({}, e.what());
    }
    const json& doc = out.document;
    r.object_at(doc, {});
    if (const json* project = doc.find("project")) {
        r.object_at(*project, "project");
        out.project_name = r.string_at(*project, "project", "name", false);
        out.project_uuid = r.string_at(*project, "project", "uuid", true);
        out.project_description = r.string_at(*project, "project", "description", false);
    }
    if (const json* tasks = doc.find("tasks")) {
        const auto& entries = r.object_at(*tasks, "tasks");
        out.tasks.reserve(entries.size());
        for (const auto& [name, task] : entries) {
            const std::string path = key_path("tasks", name);
            r.object_at(task, path);
            auto uuid = r.string_at(task, path, "uuid", true);
            if (!uuid) r.fail(key_path(path, "uuid"), "missing");
            out.tasks.push_back(forge_json_task{name, std::move(*uuid)});
        }
    }
    return out;
}

forge_json_file read_forge_json(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw forge_json_not_found(path.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw forge_json_not_found(path.string());
    return parse_forge_json(text.str(), path.string());
}

}  // namespace forge
