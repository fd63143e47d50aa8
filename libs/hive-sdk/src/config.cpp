#include <forge/hive/config.hpp>

#include <cstdlib>

namespace forge::hive {

namespace {

std::string env_or_empty(const char* name) {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): documented in from_env
    return v ? std::string(v) : std::string();
}

}  // namespace

forge_config load_forge_config(const std::string& path) {
    forge_config cfg;
    try {
        static_cast<forge_json_file&>(cfg) = read_forge_json(path);
    } catch (const forge_json_not_found& e) {
        cfg.path = path;
        cfg.error = e.what();
    }
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
    const forge_json_file file = read_forge_json(path);
    client_config cfg;
    if (file.project_name) cfg.project_name = *file.project_name;
    if (file.project_uuid) cfg.project_uuid = *file.project_uuid;
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
