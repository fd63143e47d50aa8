#include <forge/hive_server/server.hpp>
#include <forge/types/forge_json.hpp>

namespace forge::hive_server {

project_info load_forge_json(const std::filesystem::path& path) {
    forge_json_file file = read_forge_json(path);
    if (!file.project_uuid) {
        throw forge_json_error(file.path, "project.uuid", "missing");
    }
    project_info info;
    info.uuid = std::move(*file.project_uuid);
    info.name = file.project_name.value_or("");
    info.description = file.project_description.value_or("");
    info.tasks.reserve(file.tasks.size());
    for (auto& task : file.tasks) {
        info.tasks.push_back(task_info{std::move(task.uuid), std::move(task.name)});
    }
    return info;
}

}  // namespace forge::hive_server
