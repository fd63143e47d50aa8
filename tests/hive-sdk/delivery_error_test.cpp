#include <forge/hive/delivery_error.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace forge::hive;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

delivery_error error_of(failure_class kind, std::uint64_t records, bool will_retry) {
    delivery_error e;
    e.kind = kind;
    e.message = "why";
    e.records = records;
    e.will_retry = will_retry;
    return e;
}

}  // namespace

TEST_CASE("error_log::line names the records, the class, the retry and the message",
          "[delivery_error]") {
    CHECK(error_log::line(error_of(failure_class::unknown_task, 20, false), 0) ==
          "forge hive shipper: 20 records not delivered (unknown_task): why");
    CHECK(error_log::line(error_of(failure_class::network, 1, true), 0) ==
          "forge hive shipper: 1 record not delivered yet, will retry (network): why");
    CHECK(error_log::line(error_of(failure_class::unauthorized, 2, false), 3) ==
          "forge hive shipper: 2 records not delivered (unauthorized): why (3 more errors of this "
          "class since the last line)");
}

TEST_CASE("error_log writes at most one line per failure class per interval and counts the rest",
          "[delivery_error]") {
    steady::time_point now{};
    std::vector<std::string> lines;
    error_log log([&lines](std::string_view line) { lines.emplace_back(line); },
                  std::chrono::seconds(10), [&now] { return now; });
    const auto network = error_of(failure_class::network, 1, true);

    log(network);
    now += std::chrono::seconds(1);
    log(network);
    log(error_of(failure_class::unauthorized, 4, false));
    now += milliseconds(8999);
    log(network);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == error_log::line(network, 0));
    CHECK(lines[1] == error_log::line(error_of(failure_class::unauthorized, 4, false), 0));

    now += milliseconds(1);
    log(network);
    REQUIRE(lines.size() == 3);
    CHECK(lines[2] == error_log::line(network, 2));

    now += milliseconds(9999);
    log(network);
    CHECK(lines.size() == 3);
}

TEST_CASE("error_log copies share one rate limit", "[delivery_error]") {
    steady::time_point now{};
    int written = 0;
    error_log log([&written](std::string_view) { ++written; }, std::chrono::seconds(10),
                  [&now] { return now; });
    error_log copy = log;
    log(error_of(failure_class::server_error, 1, false));
    copy(error_of(failure_class::server_error, 1, false));
    CHECK(written == 1);
}

TEST_CASE("to_string gives each failure class its own name", "[delivery_error]") {
    std::set<std::string> names;
    for (std::size_t i = 0; i < failure_class_count; ++i) {
        names.emplace(to_string(static_cast<failure_class>(i)));
    }
    CHECK(names.size() == failure_class_count);
    CHECK(to_string(failure_class::payload_too_large) == "payload_too_large");
}
