#include <forge/hive/url.hpp>

#include <catch2/catch.hpp>

using forge::hive::parse_base_url;
using forge::hive::percent_encode_segment;

TEST_CASE("percent_encode_segment keeps unreserved, sub-delims, colon and at raw", "[url]") {
    CHECK(percent_encode_segment("stock:getPrice") == "stock:getPrice");
    CHECK(percent_encode_segment("a-b_c.d~e!$&'()*+,;=@") == "a-b_c.d~e!$&'()*+,;=@");
}

TEST_CASE("percent_encode_segment encodes slash, hash, space and non-ASCII bytes", "[url]") {
    CHECK(percent_encode_segment("a/b#1") == "a%2Fb%231");
    CHECK(percent_encode_segment("a b?%") == "a%20b%3F%25");
    CHECK(percent_encode_segment("\xC3\xA9") == "%C3%A9");
    CHECK(percent_encode_segment("") == "");
}

TEST_CASE("parse_base_url reads scheme, host, port and strips a trailing slash", "[url]") {
    auto u = parse_base_url("http://127.0.0.1:8080/");
    REQUIRE(u);
    CHECK(u->scheme == "http");
    CHECK(u->host == "127.0.0.1");
    CHECK(u->port == 8080);
    CHECK(u->prefix.empty());

    auto h = parse_base_url("https://www.forgehive.cloud");
    REQUIRE(h);
    CHECK(h->port == 443);

    auto p = parse_base_url("http://[::1]:9/hive//");
    REQUIRE(p);
    CHECK(p->host == "::1");
    CHECK(p->port == 9);
    CHECK(p->prefix == "/hive");
}

TEST_CASE("parse_base_url rejects other schemes, empty hosts and bad ports with a message",
          "[url]") {
    std::string error;
    CHECK_FALSE(parse_base_url("ftp://x", &error));
    CHECK(error.find("ftp://x") != std::string::npos);
    CHECK_FALSE(parse_base_url("http://", &error));
    CHECK(error.find("empty host") != std::string::npos);
    CHECK_FALSE(parse_base_url("http://h:0", &error));
    CHECK_FALSE(parse_base_url("http://h:70000", &error));
    CHECK_FALSE(parse_base_url("http://h:12a", &error));
    CHECK(error.find("bad port") != std::string::npos);
    CHECK_FALSE(parse_base_url("http://h/x?y=1", &error));
    CHECK_FALSE(parse_base_url("http://u@h", &error));
}
