// libFuzzer target: arbitrary requests into the hive server's router and handlers (everything
// after Beast's HTTP parsing: routing, auth, body parsing, validation, storage) over a real SQLite
// file in a temporary directory. Input layout: byte 0 picks the method and whether the request
// carries valid credentials; then the target up to '\n'; the rest is the body. Every request must
// be answered exactly once with a status in 200..599; anything else is a bug.
#include "api.hpp"

#include <forge/hive_server/sqlite_record_store.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

namespace hs = forge::hive_server;

struct fixture {
    std::filesystem::path dir;
    std::unique_ptr<hs::sqlite_record_store> store;
    std::unique_ptr<hs::detail::api> api;

    fixture() {
        dir = std::filesystem::temp_directory_path() /
              ("forge-fuzz-server-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        hs::server_config config;
        config.database = dir / "hive.db";
        config.api_key = "k";
        config.api_secret = "s";
        store = std::make_unique<hs::sqlite_record_store>(config.database);
        api = std::make_unique<hs::detail::api>(config, *store);
        api->register_project({"167aa373-cecc-42b5-90d1-a29454d76504",
                               "Billing",
                               "",
                               {{"a45aafe3-8b01-4b58-b15d-9a96274858ee", "invoice:total"}}});
    }
    ~fixture() {
        api.reset();
        store.reset();
        std::filesystem::remove_all(dir);
    }
};

constexpr std::array<std::string_view, 5> methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fixture f;
    if (size == 0) return 0;
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    hs::detail::api_request request;
    request.method = std::string(methods[data[0] % methods.size()]);
    if ((data[0] / methods.size()) % 2 == 0) request.authorization = "Bearer k:s";
    std::size_t newline = rest.find('\n');
    request.target = std::string(rest.substr(0, newline));
    if (newline != std::string_view::npos) request.body = std::string(rest.substr(newline + 1));

    std::promise<hs::detail::api_response> answered;
    auto answer = answered.get_future();
    f.api->handle(std::move(request),
                  [&answered](hs::detail::api_response r) { answered.set_value(std::move(r)); });
    hs::detail::api_response response = answer.get();
    if (response.status < 200 || response.status > 599) std::abort();
    return 0;
}
