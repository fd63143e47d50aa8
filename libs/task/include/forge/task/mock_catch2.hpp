// forge::catch2_mock_reporter: reports mock failures as Catch2 (v2) check failures. Header-only;
// include it only in Catch2 tests (after or instead of <catch2/catch.hpp>).
#pragma once

#include <forge/task/mock.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <utility>

namespace forge {

// catch2_mock_reporter
//
// While it lives, every failure a mock verifies (unexpected calls, unmet expectations) is a
// Catch2 FAIL_CHECK with the failure message: the test case fails and goes on. Put one at the
// top of a TEST_CASE (before the mocks, so they verify while it is installed); the destructor
// puts back the previous reporter. Not copyable or movable.
class catch2_mock_reporter {
public:
    catch2_mock_reporter()
        : previous_(set_mock_reporter([](const std::string& message) { FAIL_CHECK(message); })) {}
    ~catch2_mock_reporter() { set_mock_reporter(std::move(previous_)); }
    catch2_mock_reporter(const catch2_mock_reporter&) = delete;
    catch2_mock_reporter& operator=(const catch2_mock_reporter&) = delete;

private:
    mock_reporter previous_;
};

}  // namespace forge
