#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace forge::test;

TEST_CASE(
    "a TLS handshake that never comes is cut at the handshake timeout, not the request "
    "timeout",
    "[server][connections][tls]") {
    const std::filesystem::path tls_dir = FORGE_HIVE_TLS_DIR;
    test_server s([&](auto& c) {
        c.tls_cert_file = tls_dir / "server.pem";
        c.tls_key_file = tls_dir / "server.key";
        c.request_timeout = std::chrono::hours(1);
        c.handshake_timeout = std::chrono::milliseconds(50);
    });
    http_connection silent(s.port(), std::chrono::minutes(2));
    CHECK(silent.wait_closed(std::chrono::minutes(2)));
}
