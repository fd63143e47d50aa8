#include "api.hpp"

#include "api_json.hpp"
#include "auth.hpp"
#include "path.hpp"

#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/record_uuid.hpp>
#include <forge/types/uuid.hpp>

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <utility>

namespace forge::hive_server::detail {
namespace {

constexpr std::size_t max_batch_items = 1000;

std::int64_t now_unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

api_response error_response(int status, std::string_view message) {
    return api_response{status, error_body(message, status), 0};
}

// storage_failure: the answer to a write the store did not commit: 503 with Retry-After when
// the failure can pass (full disk, locked database), so clients retry; 500 otherwise.
api_response storage_failure(bool retryable) {
    if (!retryable) return error_response(500, "Internal server error");
    auto r = error_response(503, "Storage temporarily unavailable");
    r.retry_after = 1;
    return r;
}

// parse_object: text as a JSON object, or nullopt; its values are charged to memory.
std::optional<json> parse_object(const std::string& text, budget_parse_memory& memory) {
    auto doc = try_parse_json(text, nullptr, memory.options());
    if (!doc || !doc->is_object()) return std::nullopt;
    return doc;
}

// uuid_key: the storage key of a record uuid: its lower-case form when it is a UUID
// (docs/hive-api.md §5.3), any other text unchanged (it matches no stored record).
std::string uuid_key(std::string_view uuid) {
    std::string key(uuid);
    if (!is_uuid(key)) return key;
    for (auto& c : key) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    return key;
}

// once: wraps respond so that only its first call goes through, whatever path answers.
respond_fn once(respond_fn respond) {
    auto used = std::make_shared<std::atomic<bool>>(false);
    return [used, respond = std::move(respond)](api_response r) {
        if (!used->exchange(true)) respond(std::move(r));
    };
}

}  // namespace

api::api(const server_config& config, record_store& store, body_budget* budget)
    : config_(config),
      store_(store),
      budget_(budget),
      limiter_(config.rate_limit_per_s, config.rate_limit_burst),
      started_(std::chrono::steady_clock::now()) {
    add_routes();
    std::vector<project_info> stored;
    try {
        stored = store_.load_projects();
    } catch (const storage_unavailable&) {
        // Unreadable for now (a full disk after a crash): forge.json projects still register.
    }
    for (auto& project : stored) {
        project_entry entry;
        for (const auto& t : project.tasks) entry.task_names.emplace(t.uuid, t.name);
        entry.info = std::move(project);
        auto uuid = entry.info.uuid;
        projects_.insert_or_assign(std::move(uuid), std::move(entry));
    }
    for (const auto& path : config_.forge_json_files) {
        auto project = load_forge_json(path);
        try {
            register_project(project);
            continue;
        } catch (const storage_unavailable&) {
            // Served from memory while storage cannot be written; stored at the next start.
        }
        project_entry entry{project, {}};
        for (const auto& t : project.tasks) entry.task_names.emplace(t.uuid, t.name);
        projects_.insert_or_assign(project.uuid, std::move(entry));
    }
}

void api::register_project(const project_info& project) {
    store_.register_project(project);
    project_entry entry{project, {}};
    for (const auto& t : project.tasks) entry.task_names.emplace(t.uuid, t.name);
    std::unique_lock lock(mutex_);
    projects_.insert_or_assign(project.uuid, std::move(entry));
}

void api::register_invokable(std::string project_uuid, std::string task_uuid, invokable fn) {
    std::unique_lock lock(mutex_);
    invokables_.insert_or_assign(project_uuid + '\n' + task_uuid, std::move(fn));
}

std::string api::project_name(const std::string& project_uuid) const {
    std::shared_lock lock(mutex_);
    auto it = projects_.find(project_uuid);
    return it == projects_.end() ? std::string() : it->second.info.name;
}

void api::add_routes() {
    routes_.add("GET", "/healthz",
                [](api& a, const route_params&, api_request&, respond_fn& r) { a.healthz(r); });
    routes_.add("GET", "/api/me",
                [](api& a, const route_params&, api_request&, respond_fn& r) { a.me(r); });
    routes_.add(
        "POST", "/api/log-ingest",
        [](api& a, const route_params&, api_request& q, respond_fn& r) { a.ingest(q.body, r); });
    routes_.add("POST", "/api/log-ingest/batch",
                [](api& a, const route_params&, api_request& q, respond_fn& r) {
                    a.ingest_batch(q.body, r);
                });
    routes_.add("GET", "/api/tasks/{taskName}/logs/{uuid}",
                [](api& a, const route_params& p, api_request&, respond_fn& r) {
                    a.get_log(p[0], p[1], r);
                });
    routes_.add("POST", "/api/tasks/{taskName}/logs/{uuid}/set-quality",
                [](api& a, const route_params& p, api_request& q, respond_fn& r) {
                    a.set_quality(p[0], p[1], q.body, r);
                });
    routes_.add(
        "GET", "/api/projects/{projectUuid}",
        [](api& a, const route_params& p, api_request&, respond_fn& r) { a.get_project(p[0], r); });
    routes_.add("POST", "/api/projects/{projectUuid}/tasks/{taskUuid}/invoke",
                handler([](api& a, const route_params& p, api_request& q,
                           respond_fn& r) { a.invoke(p[0], p[1], q.body, r); },
                        false));
}

api::admission api::admit(const api_request& head) {
    admission out;
    try {
        auto target = parse_target(head.target);
        if (!target.error.empty()) {
            out.answer = error_response(400, target.error);
            return out;
        }
        auto found = routes_.match(head.method, target.segments);
        const auto& s = target.segments;
        if (!s.empty() && s[0] == "api") {
            if (!bearer_matches(head.authorization, config_.api_key, config_.api_secret)) {
                out.answer = error_response(401, "Unauthorized");
                return out;
            }
            if (long wait = limiter_.try_acquire(config_.api_key); wait > 0) {
                out.answer = error_response(429, "Too many requests");
                out.answer->retry_after = wait;
                return out;
            }
        }
        if (!found.matched) {
            out.answer = error_response(404, "Not found");
            return out;
        }
        out.route = found.matched;
        out.params = std::move(found.params);
    } catch (const std::exception&) {
        out.answer = error_response(500, "Internal server error");
    }
    return out;
}

void api::dispatch(const admission& admitted, api_request request, respond_fn respond) {
    respond = once(std::move(respond));
    try {
        if (admitted.answer) return respond(*admitted.answer);
        admitted.route->handler.run(*this, admitted.params, request, respond);
    } catch (const storage_unavailable&) {
        respond(storage_failure(true));
    } catch (const json_memory_error&) {
        auto r = error_response(503, "Server busy: parsed values over budget");
        r.retry_after = 1;
        respond(std::move(r));
    } catch (const std::exception&) {
        respond(error_response(500, "Internal server error"));
    }
}

bool api::runs_inline(const admission& admitted, std::size_t body_bytes) noexcept {
    return body_bytes <= inline_body_bytes &&
           (admitted.answer || (admitted.route && admitted.route->handler.bounded));
}

void api::handle(api_request request, respond_fn respond) {
    auto admitted = admit(request);
    dispatch(admitted, std::move(request), std::move(respond));
}

void api::me(respond_fn& respond) {
    respond(api_response{
        200,
        R"({"team":{"name":"local","uuid":"0b6f3c52-3d0e-4c7a-9a51-2f0d3e6b7a10"},"user":{"name":"dev"}})",
        0});
}

api::prepared_item api::prepare_item(const json& body, std::int64_t now_ms) const {
    prepared_item out;
    auto fail = [&out](int status, std::string error) {
        out.status = status;
        out.error = std::move(error);
        return std::move(out);
    };
    if (!body.is_object()) return fail(400, "Invalid JSON body");
    const json* fields[3] = {body.find("projectUuid"), body.find("taskUuid"), body.find("logItem")};
    const char* names[3] = {"projectUuid", "taskUuid", "logItem"};
    for (int i = 0; i < 3; ++i) {
        if (!fields[i] || !fields[i]->is_string()) {
            return fail(400, fmt::format("Missing or invalid field: {}", names[i]));
        }
    }
    const std::string& project_uuid = fields[0]->as_string();
    const std::string& task_uuid = fields[1]->as_string();
    const std::string& text = fields[2]->as_string();
    budget_parse_memory memory(budget_);
    auto record = try_parse_json(text, nullptr, memory.options());
    if (record && record->is_object()) {
        const json* uuid = record->find("uuid");
        if (uuid && !uuid->is_null() && (!uuid->is_string() || !is_uuid(uuid->as_string()))) {
            return fail(400, "Missing or invalid field: uuid");
        }
        if (uuid && uuid->is_string()) out.uuid = uuid->as_string();
    }
    if (!record || !record->is_object()) return fail(400, "logItem is not a JSON object");
    execution_record decoded;
    try {
        decoded = record_from_json(*record);
    } catch (const std::exception& e) {
        return fail(400, fmt::format("Invalid logItem: {}", e.what()));
    }
    std::string task_name;
    {
        std::shared_lock lock(mutex_);
        auto project = projects_.find(project_uuid);
        if (project == projects_.end()) return fail(404, "Project not found");
        auto task = project->second.task_names.find(task_uuid);
        if (task == project->second.task_names.end()) return fail(404, "Task not found");
        task_name = task->second;
    }
    bool modified = false;
    auto type = std::string(to_string(decoded.effective_type()));
    auto& members = record->as_object();
    if (fill_missing_uuid(decoded, now_ms)) {
        insert_or_assign(members, "uuid", json(*decoded.uuid));
        modified = true;
    }
    out.uuid = decoded.uuid;
    if (const json* t = record->find("type"); !t || t->is_null()) {
        insert_or_assign(members, "type", json(type));
        modified = true;
    }
    auto& item = out.item;
    item.project_uuid = project_uuid;
    item.task_uuid = task_uuid;
    item.uuid = uuid_key(*out.uuid);
    item.task_name = std::move(task_name);
    item.type = std::move(type);
    item.replay_from = decoded.replay_from;
    if (decoded.timing) {
        item.run_time_ms = decoded.timing->start_time;
    } else if (auto ms = uuid_v7_unix_ms(item.uuid); ms >= 0) {
        item.run_time_ms = ms;
    } else {
        item.run_time_ms = now_ms;
    }
    item.created_at_ms = now_ms;
    item.record_json = modified ? to_json_text(*record) : text;
    return out;
}

void api::ingest(const std::string& body, respond_fn& respond) {
    budget_parse_memory memory(budget_);
    auto doc = parse_object(body, memory);
    if (!doc) return respond(error_response(400, "Invalid JSON body"));
    auto prepared = prepare_item(*doc, now_unix_ms());
    if (prepared.status != 0) return respond(error_response(prepared.status, prepared.error));
    auto name = project_name(prepared.item.project_uuid);
    std::vector<ingest_item> items;
    items.push_back(std::move(prepared.item));
    store_.ingest_async(std::move(items), [respond, name = std::move(name)](ingest_result r) {
        if (!r.error.empty() || r.outcomes.size() != 1)
            return respond(storage_failure(r.retryable));
        const auto& outcome = r.outcomes.front();
        respond(
            api_response{outcome.created ? 201 : 200, log_entry_body(outcome.log, name, false), 0});
    });
}

void api::ingest_batch(const std::string& body, respond_fn& respond) {
    budget_parse_memory memory(budget_);
    auto doc = parse_object(body, memory);
    if (!doc) return respond(error_response(400, "Invalid JSON body"));
    const json* items = doc->find("items");
    if (!items || !items->is_array())
        return respond(error_response(400, "Missing or invalid field: items"));
    const auto& list = items->as_array();
    if (list.empty() || list.size() > max_batch_items) {
        return respond(
            error_response(400, fmt::format("Invalid batch size: {} items (expected 1 to {})",
                                            list.size(), max_batch_items)));
    }
    auto now = now_unix_ms();
    auto prepared = std::make_shared<std::vector<prepared_item>>();
    prepared->reserve(list.size());
    std::vector<ingest_item> valid;
    valid.reserve(list.size());
    for (const auto& entry : list) {
        prepared->push_back(prepare_item(entry, now));
        if (prepared->back().status == 0) valid.push_back(std::move(prepared->back().item));
    }
    auto answer = [respond, prepared](const std::vector<ingest_outcome>& outcomes) {
        std::string out = "{\"results\":[";
        std::size_t next = 0;
        bool first = true;
        for (const auto& p : *prepared) {
            if (!first) out += ',';
            first = false;
            out += "{\"uuid\":";
            if (p.status == 0) {
                const auto& o = outcomes.at(next++);
                write_json_string(out, o.log.uuid);
                out += o.created ? ",\"status\":201}" : ",\"status\":200}";
                continue;
            }
            if (p.uuid) {
                write_json_string(out, *p.uuid);
            } else {
                out += "null";
            }
            out += fmt::format(",\"status\":{},\"error\":", p.status);
            write_json_string(out, p.error);
            out += '}';
        }
        out += "]}";
        respond(api_response{200, std::move(out), 0});
    };
    if (valid.empty()) return answer({});
    store_.ingest_async(std::move(valid), [respond, answer](ingest_result r) {
        if (!r.error.empty()) return respond(storage_failure(r.retryable));
        answer(r.outcomes);
    });
}

void api::get_log(const std::string& task_name, const std::string& uuid, respond_fn& respond) {
    auto log = store_.get_log(task_name, uuid_key(uuid));
    if (!log) return respond(error_response(404, "Log not found"));
    respond(api_response{200, log_entry_body(*log, project_name(log->project_uuid), true), 0});
}

void api::set_quality(const std::string& task_name,
                      const std::string& uuid,
                      const std::string& body,
                      respond_fn& respond) {
    budget_parse_memory memory(budget_);
    auto doc = parse_object(body, memory);
    if (!doc) return respond(error_response(400, "Invalid JSON body"));
    const json* q = doc->find("quality");
    auto invalid = [&respond] {
        respond(error_response(400, "Missing or invalid field: quality"));
    };
    if (!q || !q->is_object()) return invalid();
    const json* score = q->find("score");
    if (!score || !score->is_number() || !std::isfinite(score->as_double())) return invalid();
    quality_info quality;
    quality.score = score->as_double();
    for (auto [key, slot] :
         {std::pair{"reason", &quality.reason}, std::pair{"suggestions", &quality.suggestions}}) {
        const json* v = q->find(key);
        if (!v || v->is_null()) continue;
        if (!v->is_string()) return invalid();
        *slot = v->as_string();
    }
    quality.updated_at_ms = now_unix_ms();
    auto key = uuid_key(uuid);
    store_.set_quality_async(task_name, key, std::move(quality), [respond](quality_result r) {
        if (!r.error.empty()) return respond(storage_failure(r.retryable));
        if (!r.found) return respond(error_response(404, "Log not found"));
        respond(api_response{200, R"({"success":true})", 0});
    });
}

void api::get_project(const std::string& project_uuid, respond_fn& respond) {
    json body;
    {
        std::shared_lock lock(mutex_);
        auto it = projects_.find(project_uuid);
        if (it == projects_.end()) return respond(error_response(404, "Project not found"));
        const auto& info = it->second.info;
        json tasks = json::array();
        for (const auto& t : info.tasks)
            tasks.push_back(json::object({{"uuid", t.uuid}, {"name", t.name}}));
        body = json::object({{"project", json::object({{"uuid", info.uuid},
                                                       {"projectName", info.name},
                                                       {"description", info.description},
                                                       {"tasks", std::move(tasks)}})}});
    }
    respond(api_response{200, to_json_text(body), 0});
}

void api::invoke(const std::string& project_uuid,
                 const std::string& task_uuid,
                 const std::string& body,
                 respond_fn& respond) {
    invokable fn;
    std::string task_name;
    std::string name;
    {
        std::shared_lock lock(mutex_);
        auto project = projects_.find(project_uuid);
        auto fn_it = invokables_.find(project_uuid + '\n' + task_uuid);
        if (project == projects_.end() || fn_it == invokables_.end() ||
            !project->second.task_names.count(task_uuid)) {
            return respond(error_response(404, "Task not found"));
        }
        fn = fn_it->second;
        task_name = project->second.task_names.at(task_uuid);
        name = project->second.info.name;
    }
    budget_parse_memory memory(budget_);
    auto doc = parse_object(body, memory);
    if (!doc) return respond(error_response(400, "Invalid JSON body"));
    const json* payload = doc->find("payload");
    invoke_result result;
    try {
        result = fn(payload ? *payload : json());
    } catch (const std::exception& e) {
        return respond(error_response(500, e.what()));
    } catch (...) {
        return respond(error_response(500, "Internal server error"));
    }
    api_response reply = result.status == 200
                             ? api_response{200,
                                            to_json_text(json::object(
                                                {{"responsePayload", std::move(result.output)}})),
                                            0}
                             : error_response(result.status, result.error);
    if (!result.record) return respond(std::move(reply));
    auto now = now_unix_ms();
    auto& record = *result.record;
    insert_or_assign(record.metadata, "environment", json("hive-invoke"));
    if (!record.task_name) record.task_name = task_name;
    fill_missing_uuid(record, now);
    if (!record.type) record.type = record.effective_type();
    ingest_item item;
    item.project_uuid = project_uuid;
    item.task_uuid = task_uuid;
    if (!is_uuid(*record.uuid)) {
        return respond(error_response(500, "Hosted task returned a record with an invalid uuid"));
    }
    item.uuid = uuid_key(*record.uuid);
    item.task_name = task_name;
    item.type = std::string(to_string(*record.type));
    item.replay_from = record.replay_from;
    item.run_time_ms = record.timing ? record.timing->start_time : now;
    item.created_at_ms = now;
    item.record_json = to_json_text(record);
    std::vector<ingest_item> items;
    items.push_back(std::move(item));
    store_.ingest_async(std::move(items),
                        [respond, reply = std::move(reply)](ingest_result r) mutable {
                            if (!r.error.empty()) return respond(storage_failure(r.retryable));
                            respond(std::move(reply));
                        });
}

void api::healthz(respond_fn& respond) {
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - started_);
    json body = json::object();
    auto health = store_.health();
    bool ok = health.writable;
    body.set("status", ok ? "ok" : "unavailable");
    if (!ok) body.set("error", "storage not writable: " + health.reason);
    body.set("version", FORGE_HIVE_SERVER_VERSION);
    body.set("uptimeSeconds", static_cast<std::int64_t>(uptime.count()));
    body.set("records", store_.record_count());
    respond(api_response{ok ? 200 : 503, to_json_text(body), 0});
}

}  // namespace forge::hive_server::detail
