// forge::hive::delivery_error: why the shipper did not deliver records, and error_log, the
// default way of telling the user (docs/hive-api.md §9.7).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace forge::hive {

// failure_class: why one attempt to deliver records failed. The shipper keeps the last error of
// each class.
enum class failure_class : std::uint8_t {
    unknown_task,       // the record's task has no uuid in forge.json; nothing was sent
    missing_project,    // no project uuid is configured; nothing was sent
    unauthorized,       // 401: wrong API key or secret
    not_found,          // 404 for a record: the server knows neither its project nor its task
    payload_too_large,  // 413 for a single record (a larger batch is split, not reported)
    rate_limited,       // 429 (retried, honouring Retry-After)
    client_error,       // any other 4xx, e.g. 400 for a record the server cannot read
    server_error,       // 5xx (502, 503 and 504 retried; 500 not)
    bad_response,       // a 2xx batch answer without a status for a record (retried)
    network,            // no answer: refused, unresolvable, TLS, timed out or lost (retried)
};

// failure_class_count: the number of failure classes.
inline constexpr std::size_t failure_class_count = 10;

// to_string: "unknown_task", "missing_project", "unauthorized", "not_found",
// "payload_too_large", "rate_limited", "client_error", "server_error", "bad_response", "network".
std::string_view to_string(failure_class c) noexcept;

// delivery_error
//
// One failed delivery attempt: its class, a message naming the cause (the local reason, the
// server's `error` text with the status and the route, or the transport error, e.g.
// `cannot connect to 127.0.0.1:4100: Connection refused`), the HTTP status (0 when there was no
// answer), how many records it concerned, and whether they will be retried. `will_retry` false
// means those records now count in failed_permanent. `occurrences` counts this class's
// errors since the shipper started, this one included. Copyable value.
struct delivery_error {
    failure_class kind = failure_class::network;
    std::string message{};
    int http_status = 0;
    std::uint64_t records = 0;
    bool will_retry = false;
    std::uint64_t occurrences = 0;

    friend bool operator==(const delivery_error&, const delivery_error&) = default;
};

// delivery_error_handler: receives each delivery_error on the shipper's I/O thread, before the
// records it concerns count as resolved for flush(). It should return quickly; an exception it
// throws is caught and ignored.
using delivery_error_handler = std::function<void(const delivery_error&)>;

// error_log
//
// The default delivery_error_handler: writes one line per error to a sink (stderr by default),
//   forge hive shipper: 20 records not delivered (unknown_task): task "x" not found in forge.json
//   forge hive shipper: 5 records not delivered yet, will retry (network): cannot connect to ...
// at most one line per failure class per `interval` (default 10 s), so a server that stays down
// prints one line per interval, not one per attempt. Errors left out are counted, and the next
// line of their class ends with "(N more errors of this class since the last line)". Time comes
// from `now` (default: std::chrono::steady_clock), so tests drive the interval by hand. Copies
// share one state. Thread-safe (one mutex, held while formatting and calling the sink); one string
// allocation per line written.
class error_log {
public:
    using sink = std::function<void(std::string_view line)>;
    using time_source = std::function<std::chrono::steady_clock::time_point()>;

    // error_log: lines to stderr, at most one per class per 10 s of steady_clock time.
    error_log();

    // error_log: lines to `out` (an empty sink: nowhere), at most one per class per `interval` of
    // the time `now` gives.
    error_log(
        sink out, std::chrono::steady_clock::duration interval, time_source now = [] {
            return std::chrono::steady_clock::now();
        });

    // operator(): reports `e` by the rules above. Throws only what the sink or `now` throws.
    void operator()(const delivery_error& e) const;

    // line: the text written for `e` after `left_out` errors of its class were left out (no
    // trailing newline).
    static std::string line(const delivery_error& e, std::uint64_t left_out);

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace forge::hive
