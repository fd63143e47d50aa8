#include <forge/types/error_category.hpp>

#include <boost/system/system_error.hpp>
#include <catch2/catch.hpp>

#include <cerrno>
#include <system_error>

using forge::error_category;

TEST_CASE("error categories have their spec names", "[error_category]") {
    CHECK(forge::to_string(error_category::validation) == "validation");
    CHECK(forge::to_string(error_category::other) == "other");
    CHECK(forge::parse_error_category("timeout") == error_category::timeout);
    CHECK(forge::parse_error_category("network") == error_category::network);
    CHECK_FALSE(forge::parse_error_category("Network").has_value());
}

TEST_CASE("error messages are classified by the spec's rules in order", "[error_category]") {
    using forge::classify_error_message;
    CHECK(classify_error_message("Invalid input on: a: Too small") == error_category::validation);
    CHECK(classify_error_message("invalid INPUT") == error_category::validation);
    CHECK(classify_error_message("request Timed Out") == error_category::timeout);
    CHECK(classify_error_message("connect ETIMEDOUT 1.2.3.4") == error_category::timeout);
    CHECK(classify_error_message("Deadline exceeded") == error_category::timeout);
    CHECK(classify_error_message("network timeout") == error_category::timeout);
    CHECK(classify_error_message("connect ECONNREFUSED") == error_category::network);
    CHECK(classify_error_message("socket hang up") == error_category::network);
    CHECK(classify_error_message("getaddrinfo EAI_AGAIN") == error_category::network);
    CHECK(classify_error_message("FX service unreachable: connection refused") ==
          error_category::network);
    CHECK(classify_error_message("write EPIPE") == error_category::network);
    CHECK(classify_error_message("division by zero") == error_category::other);
    CHECK(classify_error_message("") == error_category::other);
    CHECK(classify_error_message("bad input") == error_category::other);
}

TEST_CASE("error_message gives what() or unknown exception", "[error_category]") {
    CHECK(forge::error_message(std::make_exception_ptr(std::runtime_error("boom"))) == "boom");
    CHECK(forge::error_message(std::make_exception_ptr(42)) == "unknown exception");
    CHECK(forge::error_message(nullptr) == "unknown exception");
}

TEST_CASE("classify_exception reads categorized errors and system error codes",
          "[error_category]") {
    using forge::classify_exception;
    CHECK(classify_exception(std::make_exception_ptr(
              forge::categorized_error(error_category::network, "x"))) == error_category::network);
    CHECK(classify_exception(std::make_exception_ptr(std::system_error(
              std::make_error_code(std::errc::timed_out)))) == error_category::timeout);
    for (auto code :
         {std::errc::connection_refused, std::errc::connection_reset, std::errc::connection_aborted,
          std::errc::network_unreachable, std::errc::broken_pipe}) {
        CHECK(classify_exception(std::make_exception_ptr(
                  std::system_error(std::make_error_code(code)))) == error_category::network);
    }
    CHECK(classify_exception(std::make_exception_ptr(std::system_error(
              std::make_error_code(std::errc::permission_denied)))) == error_category::other);
    CHECK(classify_exception(std::make_exception_ptr(std::runtime_error("connection refused"))) ==
          error_category::other);
    CHECK(classify_exception(std::make_exception_ptr(7)) == error_category::other);
    CHECK(classify_exception(nullptr) == error_category::other);
}

TEST_CASE("classify_exception recognises boost::system::system_error by its code text",
          "[error_category]") {
    using forge::classify_exception;
    auto boost_error = [](int code) {
        return std::make_exception_ptr(boost::system::system_error(
            boost::system::error_code(code, boost::system::system_category()), "connect"));
    };
    CHECK(classify_exception(boost_error(ETIMEDOUT)) == error_category::timeout);
    CHECK(classify_exception(boost_error(ECONNREFUSED)) == error_category::network);
    CHECK(classify_exception(boost_error(ECONNRESET)) == error_category::network);
    CHECK(classify_exception(boost_error(EPIPE)) == error_category::network);
    CHECK(classify_exception(boost_error(ENETUNREACH)) == error_category::network);
    CHECK(classify_exception(boost_error(EACCES)) == error_category::other);
}
