#include "http_connection.hpp"

#include <forge/hive/invoke_client.hpp>
#include <forge/hive/url.hpp>
#include <forge/types/json_text.hpp>

#include <stdexcept>
#include <utility>

namespace forge::hive {

invoke_client::invoke_client(client_config config, std::chrono::milliseconds timeout)
    : config_(std::move(config)), timeout_(timeout) {
    if (!config_.has_credentials()) {
        throw std::invalid_argument(std::string(missing_invoke_credentials_error));
    }
    host_ =
        normalize_host(config_.host.empty() ? default_invoke_host : std::string_view(config_.host));
    std::string error;
    if (!parse_base_url(host_, &error)) throw std::invalid_argument(error);
}

invoke_result invoke_client::invoke(std::string_view project_uuid,
                                    std::string_view task_uuid,
                                    const json& payload) const {
    invoke_result result;
    std::string body = "{\"payload\":";
    write_json(body, payload);
    body.push_back('}');
    std::string path = "/api/projects/" + percent_encode_segment(project_uuid) + "/tasks/" +
                       percent_encode_segment(task_uuid) + "/invoke";
    auto out = detail::request_once(host_, detail::bearer(config_.api_key, config_.api_secret),
                                    timeout_, "POST", path, body, config_.ca_file);
    if (!out.response) {
        result.body = json::object({{"error", json(std::move(out.error))}});
        return result;
    }
    result.http_status = out.response->status;
    std::string perr;
    auto parsed = try_parse_json(out.response->body, &perr);
    if (parsed) {
        result.body = std::move(*parsed);
    } else {
        result.body =
            json::object({{"error", json("response is not JSON (HTTP " +
                                         std::to_string(result.http_status) + "): " + perr)}});
    }
    return result;
}

}  // namespace forge::hive
