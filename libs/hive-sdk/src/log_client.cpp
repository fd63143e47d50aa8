#include "http_connection.hpp"
#include "ingest_item.hpp"

#include <forge/hive/log_client.hpp>
#include <forge/hive/url.hpp>
#include <forge/types/json_text.hpp>

#include <stdexcept>
#include <utility>

namespace forge::hive {

namespace {

json parse_or_null(const std::string& body) {
    if (body.empty()) return json(nullptr);
    auto v = try_parse_json(body);
    return v ? std::move(*v) : json(nullptr);
}

std::string server_error(const json& body, int status) {
    if (const json* e = body.find("error"); e && e->is_string()) return e->as_string();
    return "HTTP " + std::to_string(status);
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

std::optional<std::string> string_at(const json& v, std::string_view a, std::string_view b) {
    const json* outer = v.find(a);
    if (!outer) return std::nullopt;
    const json* inner = outer->find(b);
    if (!inner || !inner->is_string()) return std::nullopt;
    return inner->as_string();
}

json string_map_to_json(const string_map& m) {
    json_object obj;
    obj.reserve(m.size());
    for (const auto& [k, v] : m) obj.emplace_back(k, json(v));
    return json(std::move(obj));
}

json optional_string(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

std::string_view to_string(send_status s) noexcept {
    switch (s) {
        case send_status::sent:
            return "sent";
        case send_status::silent:
            return "silent";
        case send_status::error:
            return "error";
    }
    return "error";
}

log_client::log_client(client_config config, std::chrono::milliseconds timeout)
    : config_(std::move(config)), timeout_(timeout) {
    forge_ = load_forge_config(config_.forge_json_path());
    active_ = config_.has_credentials();
    host_ =
        normalize_host(config_.host.empty() ? default_log_host : std::string_view(config_.host));
    std::string error;
    if (active_ && !parse_base_url(host_, &error)) throw std::invalid_argument(error);
}

json log_client::get_conf() const {
    json_object conf;
    conf.emplace_back("projectName", optional_string(config_.project_name));
    conf.emplace_back("projectUuid", optional_string(config_.project_uuid));
    conf.emplace_back("host", active_ ? json(host_) : json(nullptr));
    conf.emplace_back("apiKey", mask_secret(config_.api_key));
    conf.emplace_back("apiSecret", mask_secret(config_.api_secret));
    conf.emplace_back("isInitialized", json(active_));
    conf.emplace_back("baseMetadata", string_map_to_json(config_.metadata));
    conf.emplace_back("forgeConfig", forge_.document);
    return json(std::move(conf));
}

send_result log_client::send(const execution_record& record, const string_map& metadata) const {
    send_result result;
    if (!active_) {
        result.status = send_status::silent;
        return result;
    }
    execution_record copy = record;
    detail::ingest_item item;
    if (auto error = detail::prepare_ingest(copy, config_.project_uuid, forge_, config_.metadata,
                                            metadata, item)) {
        result.error = std::move(error->message);
        return result;
    }
    result.uuid = item.uuid;
    auto out =
        detail::request_once(host_, detail::bearer(config_.api_key, config_.api_secret), timeout_,
                             "POST", "/api/log-ingest", item.body, config_.ca_file);
    if (!out.response) {
        result.error = std::move(out.error);
        return result;
    }
    result.http_status = out.response->status;
    result.response = parse_or_null(out.response->body);
    if (is_2xx(result.http_status)) {
        result.status = send_status::sent;
    } else {
        result.error = server_error(result.response, result.http_status);
    }
    return result;
}

get_log_result log_client::get_log(std::string_view task_name, std::string_view uuid) const {
    get_log_result result;
    if (!active_) {
        result.error = std::string(silent_client_error);
        return result;
    }
    std::string path =
        "/api/tasks/" + percent_encode_segment(task_name) + "/logs/" + percent_encode_segment(uuid);
    auto out = detail::request_once(host_, detail::bearer(config_.api_key, config_.api_secret),
                                    timeout_, "GET", path, {}, config_.ca_file);
    if (!out.response) {
        result.error = std::move(out.error);
        return result;
    }
    result.http_status = out.response->status;
    json body = parse_or_null(out.response->body);
    if (result.http_status == 200 && body.is_object()) {
        if (json* item = body.find("logItem"); item && item->is_string()) {
            std::string perr;
            auto parsed = try_parse_json(item->as_string(), &perr);
            if (!parsed) {
                result.error = "logItem is not valid JSON: " + perr;
                result.log = std::move(body);
                return result;
            }
            *item = std::move(*parsed);
        }
        result.status = get_log_status::found;
        result.log = std::move(body);
        return result;
    }
    if (result.http_status == 404) {
        result.status = get_log_status::not_found;
    } else if (result.http_status == 401) {
        result.status = get_log_status::unauthorized;
    }
    result.error = result.http_status == 200 ? std::string("response is not a JSON object")
                                             : server_error(body, result.http_status);
    result.log = std::move(body);
    return result;
}

set_quality_result log_client::set_quality(std::string_view task_name,
                                           std::string_view uuid,
                                           const quality& q) const {
    set_quality_result result;
    if (!active_) {
        result.error = std::string(silent_client_error);
        return result;
    }
    json_object qo;
    qo.emplace_back("score", json(q.score));
    if (q.reason) qo.emplace_back("reason", json(*q.reason));
    if (q.suggestions) qo.emplace_back("suggestions", json(*q.suggestions));
    json body = json::object({{"quality", json(std::move(qo))}});
    std::string path = "/api/tasks/" + percent_encode_segment(task_name) + "/logs/" +
                       percent_encode_segment(uuid) + "/set-quality";
    auto out = detail::request_once(host_, detail::bearer(config_.api_key, config_.api_secret),
                                    timeout_, "POST", path, to_json_text(body), config_.ca_file);
    if (!out.response) {
        result.error = std::move(out.error);
        return result;
    }
    result.http_status = out.response->status;
    result.ok = is_2xx(result.http_status);
    if (!result.ok)
        result.error = server_error(parse_or_null(out.response->body), result.http_status);
    return result;
}

test_config_result log_client::test_config() const {
    test_config_result r;
    if (!active_) {
        r.error = "Client not initialized - missing API credentials";
        return r;
    }
    const std::string auth = detail::bearer(config_.api_key, config_.api_secret);
    auto me = detail::request_once(host_, auth, timeout_, "GET", "/api/me", {}, config_.ca_file);
    if (!me.response) {
        r.error = me.error.empty() ? std::string("Network error") : me.error;
        return r;
    }
    int status = me.response->status;
    if (!is_2xx(status)) {
        r.error = "Request failed with status code " + std::to_string(status);
        return r;
    }
    if (status != 200) {
        r.error = "Credential verification failed: HTTP " + std::to_string(status);
        return r;
    }
    json body = parse_or_null(me.response->body);
    r.team_name = string_at(body, "team", "name");
    r.team_uuid = string_at(body, "team", "uuid");
    r.user_name = string_at(body, "user", "name");
    if (!config_.project_name.empty()) r.project_name = config_.project_name;
    if (!config_.project_uuid.empty()) {
        r.project_exists = false;
        auto proj = detail::request_once(
            host_, auth, timeout_, "GET",
            "/api/projects/" + percent_encode_segment(config_.project_uuid), {}, config_.ca_file);
        if (proj.response && proj.response->status == 200) {
            json pbody = parse_or_null(proj.response->body);
            if (const json* project = pbody.find("project"); project && project->is_object()) {
                r.project_exists = true;
                if (const json* n = project->find("projectName"); n && n->is_string()) {
                    r.project_name = n->as_string();
                }
                tasks_verified tv;
                const json* tasks = project->find("tasks");
                for (const auto& [name, uuid] : forge_.tasks) {
                    ++tv.total;
                    bool found = false;
                    if (tasks && tasks->is_array()) {
                        for (const auto& t : tasks->as_array()) {
                            const json* u = t.find("uuid");
                            if (u && u->is_string() && u->as_string() == uuid) {
                                found = true;
                                break;
                            }
                        }
                    }
                    if (found) {
                        ++tv.found;
                    } else {
                        tv.missing.push_back(name);
                    }
                }
                r.tasks_verified = std::move(tv);
            }
        }
    }
    r.success = true;
    return r;
}

record_listener log_client::as_listener() const {
    return [this](const execution_record& record) { (void)send(record); };
}

json to_json(const test_config_result& r) {
    json_object o;
    o.emplace_back("success", json(r.success));
    if (!r.success) {
        o.emplace_back("error", json(r.error));
        return json(std::move(o));
    }
    auto put = [&o](const char* key, const std::optional<std::string>& v) {
        if (v) o.emplace_back(key, json(*v));
    };
    put("teamName", r.team_name);
    put("teamUuid", r.team_uuid);
    put("userName", r.user_name);
    put("projectName", r.project_name);
    if (r.project_exists) o.emplace_back("projectExists", json(*r.project_exists));
    if (r.tasks_verified) {
        json_array missing;
        for (const auto& m : r.tasks_verified->missing) missing.emplace_back(m);
        o.emplace_back("tasksVerified", json::object({{"total", json(r.tasks_verified->total)},
                                                      {"found", json(r.tasks_verified->found)},
                                                      {"missing", json(std::move(missing))}}));
    }
    return json(std::move(o));
}

}  // namespace forge::hive
