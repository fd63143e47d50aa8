#include <forge/hive/delivery_error.hpp>

#include <array>
#include <cstdio>
#include <mutex>
#include <optional>
#include <utility>

namespace forge::hive {

std::string_view to_string(failure_class c) noexcept {
    switch (c) {
        case failure_class::unknown_task:
            return "unknown_task";
        case failure_class::missing_project:
            return "missing_project";
        case failure_class::unauthorized:
            return "unauthorized";
        case failure_class::not_found:
            return "not_found";
        case failure_class::payload_too_large:
            return "payload_too_large";
        case failure_class::rate_limited:
            return "rate_limited";
        case failure_class::client_error:
            return "client_error";
        case failure_class::server_error:
            return "server_error";
        case failure_class::bad_response:
            return "bad_response";
        case failure_class::network:
            return "network";
    }
    return "network";
}

struct error_log::state {
    sink out;
    std::chrono::steady_clock::duration interval;
    time_source now;
    std::mutex m;
    std::array<std::optional<std::chrono::steady_clock::time_point>, failure_class_count>
        last_line{};
    std::array<std::uint64_t, failure_class_count> left_out{};
};

error_log::error_log()
    : error_log(
          [](std::string_view text) {
              std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data());
          },
          std::chrono::seconds(10)) {}

error_log::error_log(sink out, std::chrono::steady_clock::duration interval, time_source now)
    : state_(std::make_shared<state>()) {
    state_->out = std::move(out);
    state_->interval = interval;
    state_->now = std::move(now);
}

void error_log::operator()(const delivery_error& e) const {
    const auto k = static_cast<std::size_t>(e.kind);
    if (k >= failure_class_count) return;
    std::lock_guard lock(state_->m);
    const auto t = state_->now();
    auto& last = state_->last_line[k];
    if (last && t - *last < state_->interval) {
        ++state_->left_out[k];
        return;
    }
    last = t;
    const std::uint64_t left_out = std::exchange(state_->left_out[k], 0);
    if (state_->out) state_->out(line(e, left_out));
}

std::string error_log::line(const delivery_error& e, std::uint64_t left_out) {
    std::string out = "forge hive shipper: ";
    out += std::to_string(e.records);
    out += e.records == 1 ? " record" : " records";
    out += e.will_retry ? " not delivered yet, will retry (" : " not delivered (";
    out += to_string(e.kind);
    out += "): ";
    out += e.message;
    if (left_out > 0) {
        out += " (";
        out += std::to_string(left_out);
        out += " more errors of this class since the last line)";
    }
    return out;
}

}  // namespace forge::hive
