#include <forge/hive/config.hpp>
#include <forge/types/json_text.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace forge::hive {

namespace {

std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): documented in from_env
    return v ? std::string(v) : std::string();
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return false;
    out = std::move(ss).str();
    return true;
}

const std::string* string_member(const json& v, std::string_view key) {
    const json* m = v.find(key);
    return (m && m->is_string()) ? &m->as_string() : nullptr;
}

}  // namespace

const std::string* forge_config::find_task_uuid(std::string_view task_name) const noexcept {
    for (const auto& [name, uuid] : tasks) {
        if (name == task_name) return &uuid;
    }
    return nullptr;
}

forge_config load_forge_config(const std::string& path) {
    forge_config cfg;
    cfg.path = path;
    std::string text;
    if (!read_file(path, text)) {
        cfg.error = "forge.json not found at " + path;
        return cfg;
    }
    std::string err;
    auto doc = try_parse_json(text, &err);
    if (!doc) {
        cfg.error = "invalid forge.json at " + path + ": " + err;
        return cfg;
    }
    if (const json* project = doc->find("project"); project && project->is_object()) {
        if (const auto* n = string_member(*project, "name")) cfg.project_name = *n;
        if (const auto* u = string_member(*project, "uuid")) cfg.project_uuid = *u;
    }
    if (const json* tasks = doc->find("tasks"); tasks && tasks->is_object()) {
        for (const auto& [name, task] : tasks->as_object()) {
            if (!task.is_object()) continue;
            if (const auto* u = string_member(task, "uuid")) cfg.tasks.emplace_back(name, *u);
        }
    }
    cfg.document = std::move(*doc);
    return cfg;
}

client_config client_config::from_env(client_config explicit_config) {
    if (explicit_config.api_key.empty()) explicit_config.api_key = env_or_empty("HIVE_API_KEY");
    if (explicit_config.api_secret.empty()) {
        explicit_config.api_secret = env_or_empty("HIVE_API_SECRET");
    }
    if (explicit_config.host.empty()) explicit_config.host = env_or_empty("HIVE_HOST");
    return explicit_config;
}

client_config client_config::from_forge_json(const std::string& path, const client_config& extra) {
    std::string text;
    if (!read_file(path, text)) throw std::runtime_error("forge.json not found at " + path);
    json doc = parse_json(text);
    client_config cfg;
    if (const json* project = doc.find("project"); project && project->is_object()) {
        if (const auto* n = string_member(*project, "name")) cfg.project_name = *n;
        if (const auto* u = string_member(*project, "uuid")) cfg.project_uuid = *u;
    }
    cfg.forge_config_path = path;
    auto take = [](std::string& dst, const std::string& src) {
        if (!src.empty()) dst = src;
    };
    take(cfg.api_key, extra.api_key);
    take(cfg.api_secret, extra.api_secret);
    take(cfg.host, extra.host);
    take(cfg.project_name, extra.project_name);
    take(cfg.project_uuid, extra.project_uuid);
    take(cfg.forge_config_path, extra.forge_config_path);
    take(cfg.ca_file, extra.ca_file);
    if (!extra.metadata.empty()) cfg.metadata = extra.metadata;
    return cfg;
}

client_config client_config::from_env() { return from_env(client_config{}); }

client_config client_config::from_forge_json(const std::string& path) {
    return from_forge_json(path, client_config{});
}

std::string client_config::forge_json_path() const {
    return forge_config_path.empty() ? std::string("./forge.json") : forge_config_path;
}

json mask_secret(std::string_view secret) {
    if (secret.empty()) return json(nullptr);
    if (secret.size() <= 8) return json("****");
    std::string out(secret.substr(0, 4));
    out.append(secret.size() - 8, '*');
    out.append(secret.substr(secret.size() - 4));
    return json(std::move(out));
}

std::string normalize_host(std::string_view host) {
    while (!host.empty() && host.back() == '/') host.remove_suffix(1);
    return std::string(host);
}

}  // namespace forge::hive
