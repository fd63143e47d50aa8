#include <forge/hive_server/server.hpp>
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace forge::hive_server {

project_info load_forge_json(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("forge.json not found at {}", path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    json doc;
    try {
        doc = parse_json(text.str());
    } catch (const std::exception& e) {
        throw std::runtime_error(fmt::format("{}: {}", path.string(), e.what()));
    }
    const json* project = doc.find("project");
    const json* uuid = project ? project->find("uuid") : nullptr;
    if (!uuid || !uuid->is_string() || uuid->as_string().empty()) {
        throw std::runtime_error(
            fmt::format("{}: project.uuid: expected a non-empty string", path.string()));
    }
    project_info info;
    info.uuid = uuid->as_string();
    if (const json* name = project->find("name"); name && name->is_string())
        info.name = name->as_string();
    if (const json* d = project->find("description"); d && d->is_string())
        info.description = d->as_string();
    if (const json* tasks = doc.find("tasks"); tasks && tasks->is_object()) {
        for (const auto& [name, task] : tasks->as_object()) {
            const json* task_uuid = task.find("uuid");
            if (!task_uuid || !task_uuid->is_string() || task_uuid->as_string().empty()) {
                throw std::runtime_error(fmt::format(
                    "{}: tasks.{}.uuid: expected a non-empty string", path.string(), name));
            }
            info.tasks.push_back(task_info{task_uuid->as_string(), name});
        }
    }
    return info;
}

}  // namespace forge::hive_server
