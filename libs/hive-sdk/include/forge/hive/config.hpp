// Hive client configuration: explicit settings, the environment, forge.json and secret masking.
#pragma once

#include <forge/types/forge_json.hpp>
#include <forge/types/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forge::hive {

// default_log_host: the host a log client uses when none is configured (docs/hive-api.md §9.1).
inline constexpr std::string_view default_log_host = "https://www.forgehive.cloud";

// default_invoke_host: the host an invoke client uses when none is configured.
inline constexpr std::string_view default_invoke_host = "https://forgehive.dev";

// string_map: string -> string pairs in insertion order (base metadata).
using string_map = std::vector<std::pair<std::string, std::string>>;

// forge_config
//
// The client's view of forge.json: the file as forge::read_forge_json reads it (project name and
// uuid, the task name -> uuid list, the whole `document` for get_conf()), plus `error` when the
// file was missing. Copyable value.
struct forge_config : forge_json_file {
    std::optional<std::string> error{};
};

// load_forge_config
//
// Reads forge.json at path with forge::read_forge_json (docs/forge-json.md §3, §5). A missing or
// unreadable file is not an error here (hive-api "no tasks"): the result has no tasks, a null
// document and `error` = "forge.json not found at <path>", so every send fails with
// `task "<name>" not found in forge.json`. Throws forge::forge_json_error, naming the file and the
// key path, for a file that is not JSON or has a key of the wrong shape. Cost: one file read and
// one parse.
forge_config load_forge_config(const std::string& path);

// client_config
//
// Settings of a log client, invoke client or shipper (docs/hive-api.md §9.1). Empty strings count
// as unset. `host` may be empty: each client applies its own default. `forge_config_path` defaults
// to "./forge.json" when empty. `ca_file` is a PEM file of extra CAs trusted for https hosts
// besides the system ones (for private deployments and tests); empty = system CAs only. Copyable
// value; reading it does no I/O.
struct client_config {
    std::string api_key{};
    std::string api_secret{};
    std::string host{};
    std::string project_name{};
    std::string project_uuid{};
    std::string forge_config_path{};
    string_map metadata{};
    std::string ca_file{};

    // from_env
    //
    // Returns `explicit_config` with api_key, api_secret and host taken from HIVE_API_KEY,
    // HIVE_API_SECRET and HIVE_HOST where the explicit value is empty (an empty variable also
    // counts as unset). The only place the SDK reads the environment. Not thread-safe against
    // concurrent setenv.
    static client_config from_env(client_config explicit_config);
    static client_config from_env();

    // from_forge_json
    //
    // Builds a config from forge.json's project.name and project.uuid at path, then applies every
    // non-empty field of `extra` over it; forge_config_path is set to path. Throws
    // forge::forge_json_not_found ("forge.json not found at <path>") for a missing file and
    // forge::forge_json_error (file and key path) for a malformed one; both are
    // std::runtime_errors.
    static client_config from_forge_json(const std::string& path, const client_config& extra);
    static client_config from_forge_json(const std::string& path);

    // has_credentials: both api_key and api_secret are non-empty.
    bool has_credentials() const noexcept { return !api_key.empty() && !api_secret.empty(); }

    // forge_json_path: forge_config_path, or "./forge.json" when empty.
    std::string forge_json_path() const;
};

// mask_secret
//
// The masked form of a key or secret (docs/hive-api.md §9.3): null when unset (empty), "****" for
// up to 8 characters, otherwise the first 4, then '*' x (length - 8), then the last 4.
json mask_secret(std::string_view secret);

// normalize_host: host with trailing '/' characters removed.
std::string normalize_host(std::string_view host);

}  // namespace forge::hive
