// forge::hive::shipper: delivers records to Hive in the background, batched and retried.
#pragma once

#include <forge/hive/config.hpp>
#include <forge/hive/delivery_error.hpp>
#include <forge/hive/log_client.hpp>
#include <forge/types/execution_record.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace forge::hive {

// shipper_options: queue, batching, timeout, retry and error-reporting settings (defaults per
// docs/hive-api.md §9.7).
struct shipper_options {
    // capacity: records waiting for the worker; when full the newest record is dropped and
    // counted. The worker takes all waiting records at once, so up to 2 x capacity records can be
    // held in memory (waiting plus in flight).
    std::size_t capacity = 2048;
    // batch_max_items: records per batch request (the server accepts 1 to 1000).
    std::size_t batch_max_items = 500;
    // batch_max_bytes: body size at which a batch is cut (the server's default limit is 8 MiB).
    std::size_t batch_max_bytes = 4u << 20;
    // linger: how long the worker waits for a batch to fill once a record is queued.
    std::chrono::milliseconds linger{5};
    // connect_timeout / io_timeout: bounds on one connect, and on one request write plus read.
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds io_timeout{10000};
    // max_attempts: tries per record, the first included.
    int max_attempts = 5;
    // backoff_base / backoff_cap: retry n waits random(0, min(cap, base * 2^n)) (full jitter).
    std::chrono::milliseconds backoff_base{500};
    std::chrono::milliseconds backoff_cap{30000};
    // retry_after_cap: the longest Retry-After honoured.
    std::chrono::milliseconds retry_after_cap{60000};
    // retry_budget: total time a batch may spend retrying before its records count as failed.
    std::chrono::milliseconds retry_budget{120000};
    // destructor_deadline: how long the destructor lets shutdown() deliver what is queued.
    std::chrono::milliseconds destructor_deadline{2000};
    // on_error: called with every delivery_error (see shipper::last_errors). The default writes
    // rate-limited lines to stderr; an empty handler reports nothing (last_errors() still keeps
    // them).
    delivery_error_handler on_error = error_log();
};

// shipper_counters: cumulative totals since construction, plus the current queue depth.
struct shipper_counters {
    std::uint64_t enqueued = 0;
    std::uint64_t sent = 0;
    std::uint64_t dropped_queue_full = 0;
    std::uint64_t failed_permanent = 0;
    std::uint64_t retries = 0;
    std::uint64_t queue_depth = 0;
};

// delivery_report: what flush() or shutdown() saw when it returned. sent, dropped and failed are
// cumulative; pending counts the records still queued or in flight (unsent). `drained` is true
// when nothing was pending.
struct delivery_report {
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
    std::uint64_t failed = 0;
    std::uint64_t pending = 0;
    bool drained = false;
};

// shipper
//
// Ships records through one keep-alive HTTP/1.1 connection on its own I/O thread (Boost.Asio and
// Beast), in batches to POST /api/log-ingest/batch, falling back to POST /api/log-ingest for the
// rest of its life when the server answers 404 on the batch route. Records are prepared exactly as
// log_client::send does (task uuid from forge.json, base metadata merged, uuid generated when
// missing). Connection failures, timeouts, 429, 502, 503 and 504 are retried with capped
// exponential backoff and full jitter, honouring Retry-After, within max_attempts and
// retry_budget; 400, 401, 404, 413 and 500 are not (a 413 batch is split in halves). The server
// de-duplicates by uuid, so a retry never stores twice. Without credentials the shipper is silent:
// enqueue() returns false and nothing is queued or sent. https hosts use TLS with the server's
// certificate verified (client_config::ca_file adds trusted CAs); a failed TLS handshake counts as
// a connection failure. Thread-safe; move-only handle. Starting it spawns one thread.
//
// Failure reasons: every failed attempt (a record that cannot be prepared, an error status for a
// request or for one record of a batch, no answer at all) becomes a delivery_error of one
// failure_class, naming the cause and saying whether its records will be retried. The shipper
// keeps the last one of each class (last_errors()) and passes each to options.on_error, on the I/O
// thread, before the records it concerns count as resolved, so once flush() reports them failed
// their reasons are in last_errors() and the handler has seen them. Counters are unaffected.
class shipper {
public:
    // shipper: starts the I/O thread when `config` has credentials (reading forge.json once, with
    // load_forge_config's rules). Throws std::invalid_argument for an unparsable host and
    // forge::forge_json_error for a malformed forge.json; a missing one fails every record as
    // unknown_task.
    explicit shipper(client_config config, shipper_options options = {});

    shipper(shipper&&) noexcept;
    shipper& operator=(shipper&&) noexcept;
    shipper(const shipper&) = delete;
    shipper& operator=(const shipper&) = delete;

    // ~shipper: shutdown(now + destructor_deadline) unless already shut down.
    ~shipper();

    // enqueue
    //
    // Moves the record into the queue and returns true. Returns false, dropping the record, when
    // the queue is full (counted in dropped_queue_full), after shutdown, or when silent. Never
    // blocks beyond a short uncontended lock; wakes the worker only when it sleeps. Cost: one
    // record move (no allocation).
    bool enqueue(execution_record&& record) noexcept;

    // listener: a callable that copies each record into the queue (the copy is the only cost on
    // the task's thread besides enqueue). It refers to the shipper's state, which moves with the
    // handle; the shipper must outlive the listener.
    record_listener listener();

    // flush: waits until everything queued so far is delivered or failed, or until the deadline,
    // whichever comes first; always returns by the deadline. Skips the linger wait.
    delivery_report flush(std::chrono::steady_clock::time_point deadline);

    // shutdown
    //
    // Stops accepting records, delivers what it can until the deadline, then cancels any request
    // in progress and joins the I/O thread; returns by the deadline (plus the few microseconds a
    // cancellation takes). Records not delivered are reported as pending. Later calls return the
    // same totals at once.
    delivery_report shutdown(std::chrono::steady_clock::time_point deadline);

    // counters: a snapshot of the totals. Lock-free except queue_depth (one short lock).
    shipper_counters counters() const;

    // last_errors: the latest delivery_error of each failure class seen since construction, in
    // failure_class order; classes never seen are left out, so an empty vector means no attempt
    // has failed. One short lock and a copy of each message.
    std::vector<delivery_error> last_errors() const;

    // is_active: false when silent (no credentials) or moved from.
    bool is_active() const noexcept;

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace forge::hive
