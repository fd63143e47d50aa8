#include "http_connection.hpp"
#include "ingest_item.hpp"

#include <forge/hive/shipper.hpp>
#include <forge/hive/url.hpp>
#include <forge/types/json_text.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>
#include <vector>

namespace forge::hive {

using steady = std::chrono::steady_clock;

namespace {

bool is_retryable_status(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

// item_group: indices into the prepared items of one batch, and the attempts already made.
struct item_group {
    std::vector<std::size_t> items{};
    int attempts = 0;
};

failure_class classify_status(int status) {
    if (status == 401) return failure_class::unauthorized;
    if (status == 404) return failure_class::not_found;
    if (status == 413) return failure_class::payload_too_large;
    if (status == 429) return failure_class::rate_limited;
    if (status >= 400 && status < 500) return failure_class::client_error;
    if (status >= 500) return failure_class::server_error;
    return failure_class::bad_response;
}

// error_text: the `error` string of a JSON error body, or "HTTP <status>".
std::string error_text(const json* error, int status) {
    if (error && error->is_string()) return error->as_string();
    return "HTTP " + std::to_string(status);
}

// tally_entry / error_tally: the errors of one response (or of preparing one batch), grouped by
// class and message, before the retry decision says whether they will be retried.
struct tally_entry {
    failure_class kind = failure_class::network;
    int status = 0;
    std::string message{};
    std::uint64_t records = 0;
    bool retryable = false;
};
using error_tally = std::vector<tally_entry>;

void add(error_tally& tally,
         failure_class kind,
         int status,
         std::string message,
         std::uint64_t records,
         bool retryable) {
    for (auto& e : tally) {
        if (e.kind == kind && e.message == message) {
            e.records += records;
            return;
        }
    }
    tally.push_back(tally_entry{kind, status, std::move(message), records, retryable});
}

}  // namespace

struct shipper::impl {
    client_config config;
    shipper_options opt;
    forge_config forge;
    bool active = false;
    std::optional<base_url> url;

    std::mutex m;
    std::condition_variable work_cv;
    std::condition_variable idle_cv;
    // inbox: the queue. Its capacity is reserved up front and the worker swaps it with an equally
    // reserved vector, so enqueue never allocates and the worker holds the lock for O(1).
    std::vector<execution_record> inbox;
    std::size_t in_flight = 0;
    std::size_t abandoned = 0;
    std::size_t wake_at = 1;
    int flushers = 0;
    bool worker_waiting = false;
    bool stopping = false;
    bool worker_done = false;

    std::atomic<std::uint64_t> enqueued{0};
    std::atomic<std::uint64_t> sent{0};
    std::atomic<std::uint64_t> dropped{0};
    std::atomic<std::uint64_t> failed{0};
    std::atomic<std::uint64_t> retries{0};
    std::atomic<bool> aborted{false};
    bool batch_supported = true;

    std::string host;
    mutable std::mutex errors_m;
    std::array<std::optional<delivery_error>, failure_class_count> last_errors{};

    std::unique_ptr<detail::http_connection> conn;
    std::thread worker;

    std::mutex shutdown_m;
    bool shut_down = false;
    delivery_report final_report;

    impl(client_config c, shipper_options o) : config(std::move(c)), opt(o) {
        opt.capacity = std::max<std::size_t>(opt.capacity, 1);
        opt.batch_max_items = std::clamp<std::size_t>(opt.batch_max_items, 1, 1000);
        opt.max_attempts = std::max(opt.max_attempts, 1);
        active = config.has_credentials();
        if (!active) return;
        forge = load_forge_config(config.forge_json_path());
        host =
            normalize_host(config.host.empty() ? default_log_host : std::string_view(config.host));
        std::string error;
        url = parse_base_url(host, &error);
        if (!url) throw std::invalid_argument(error);
        inbox.reserve(opt.capacity);
        conn = std::make_unique<detail::http_connection>(
            *url, detail::bearer(config.api_key, config.api_secret),
            detail::http_timeouts{opt.connect_timeout, opt.io_timeout}, config.ca_file);
        worker = std::thread([this] { run(); });
    }

    bool enqueue(execution_record&& record) {
        std::unique_lock lk(m);
        if (stopping) return false;
        if (inbox.size() >= opt.capacity) {
            dropped.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        inbox.push_back(std::move(record));
        enqueued.fetch_add(1, std::memory_order_relaxed);
        bool wake = worker_waiting && inbox.size() >= wake_at;
        lk.unlock();
        if (wake) work_cv.notify_one();
        return true;
    }

    delivery_report report_locked() const {
        delivery_report r;
        r.sent = sent.load();
        r.dropped = dropped.load();
        r.failed = failed.load();
        r.pending = inbox.size() + in_flight + abandoned;
        r.drained = r.pending == 0;
        return r;
    }

    void run() {
        std::vector<execution_record> taken;
        taken.reserve(opt.capacity);
        std::mt19937_64 rng{std::random_device{}()};
        for (;;) {
            {
                std::unique_lock lk(m);
                while (inbox.empty() && !stopping && !aborted.load()) {
                    worker_waiting = true;
                    wake_at = 1;
                    idle_cv.notify_all();
                    work_cv.wait(lk);
                }
                worker_waiting = false;
                if (aborted.load() || (inbox.empty() && stopping)) break;
                if (inbox.size() < opt.batch_max_items && !stopping && flushers == 0 &&
                    opt.linger.count() > 0) {
                    worker_waiting = true;
                    wake_at = opt.batch_max_items;
                    work_cv.wait_until(lk, steady::now() + opt.linger, [this] {
                        return inbox.size() >= opt.batch_max_items || stopping || flushers > 0 ||
                               aborted.load();
                    });
                    worker_waiting = false;
                }
                taken.swap(inbox);
                in_flight = taken.size();
            }
            for (std::size_t first = 0; first < taken.size(); first += opt.batch_max_items) {
                std::size_t last = std::min(taken.size(), first + opt.batch_max_items);
                std::size_t unresolved = process(taken.data() + first, taken.data() + last, rng);
                bool stop = aborted.load();
                {
                    std::lock_guard lk(m);
                    in_flight -= last - first;
                    abandoned += unresolved;
                    if (stop) {
                        abandoned += in_flight;
                        in_flight = 0;
                    }
                }
                idle_cv.notify_all();
                if (stop) break;
            }
            taken.clear();
        }
        {
            std::lock_guard lk(m);
            worker_done = true;
        }
        idle_cv.notify_all();
    }

    // process: delivers one batch; returns how many records were left unresolved by an abort.
    std::size_t process(execution_record* first, execution_record* last, std::mt19937_64& rng) {
        std::vector<detail::ingest_item> items;
        items.reserve(static_cast<std::size_t>(last - first));
        error_tally unprepared;
        for (auto* it = first; it != last; ++it) {
            auto& record = *it;
            detail::ingest_item item;
            if (auto error = detail::prepare_ingest(record, config.project_uuid, forge,
                                                    config.metadata, {}, item)) {
                failed.fetch_add(1);
                add(unprepared, error->kind, 0, std::move(error->message), 1, false);
                continue;
            }
            items.push_back(std::move(item));
        }
        report(unprepared, false, {});
        if (items.empty()) return 0;
        std::deque<item_group> work;
        item_group current;
        std::size_t bytes = 12;
        for (std::size_t i = 0; i < items.size(); ++i) {
            std::size_t add = items[i].body.size() + 1;
            if (!current.items.empty() && bytes + add > opt.batch_max_bytes) {
                work.push_back(std::move(current));
                current = item_group{};
                bytes = 12;
            }
            current.items.push_back(i);
            bytes += add;
        }
        work.push_back(std::move(current));
        return deliver(items, work, rng);
    }

    std::size_t remaining(const std::deque<item_group>& work) const {
        std::size_t n = 0;
        for (const auto& g : work) n += g.items.size();
        return n;
    }

    std::size_t deliver(const std::vector<detail::ingest_item>& items,
                        std::deque<item_group>& work,
                        std::mt19937_64& rng) {
        const auto started = steady::now();
        while (!work.empty()) {
            if (aborted.load()) return remaining(work);
            item_group g = std::move(work.front());
            work.pop_front();
            if (!batch_supported && g.items.size() > 1) {
                for (auto it = g.items.rbegin(); it != g.items.rend(); ++it) {
                    work.push_front(item_group{{*it}, g.attempts});
                }
                continue;
            }
            std::vector<std::size_t> retry;
            std::optional<std::chrono::seconds> retry_after;
            detail::http_outcome out;
            const std::string_view route =
                batch_supported ? "/api/log-ingest/batch" : "/api/log-ingest";
            if (batch_supported) {
                std::string body = "{\"items\":[";
                for (std::size_t k = 0; k < g.items.size(); ++k) {
                    if (k) body.push_back(',');
                    body.append(items[g.items[k]].body);
                }
                body.append("]}");
                out = conn->request("POST", route, body);
            } else {
                out = conn->request("POST", route, items[g.items[0]].body);
            }
            if (aborted.load() && !out.response) {
                work.push_front(std::move(g));
                return remaining(work);
            }
            error_tally tally;
            if (!out.response) {
                retry = g.items;
                add(tally, failure_class::network, 0, std::move(out.error), g.items.size(), true);
            } else {
                const int status = out.response->status;
                retry_after = out.response->retry_after;
                if (batch_supported && status == 404) {
                    batch_supported = false;
                    work.push_front(std::move(g));
                    continue;
                }
                if (status == 413 && g.items.size() > 1) {
                    std::size_t half = g.items.size() / 2;
                    item_group second{
                        {g.items.begin() + static_cast<std::ptrdiff_t>(half), g.items.end()},
                        g.attempts};
                    g.items.resize(half);
                    work.push_front(std::move(second));
                    work.push_front(std::move(g));
                    continue;
                }
                if (is_2xx(status) && batch_supported) {
                    classify_batch(*out.response, route, items, g, retry, tally);
                } else if (is_2xx(status)) {
                    sent.fetch_add(1);
                } else {
                    const bool retryable = is_retryable_status(status);
                    if (retryable) {
                        retry = g.items;
                    } else {
                        failed.fetch_add(g.items.size());
                    }
                    auto parsed = try_parse_json(out.response->body);
                    auto message =
                        answered(route, status, g.items.size() == 1 ? &items[g.items[0]] : nullptr,
                                 error_text(parsed ? parsed->find("error") : nullptr, status));
                    add(tally, classify_status(status), status, std::move(message), g.items.size(),
                        retryable);
                }
            }
            if (retry.empty()) {
                report(tally, false, {});
                continue;
            }
            int attempts = g.attempts + 1;
            if (attempts >= opt.max_attempts) {
                failed.fetch_add(retry.size());
                report(tally, false, " (gave up after " + std::to_string(attempts) + " attempts)");
                continue;
            }
            auto delay = backoff(attempts, retry_after, rng);
            if (steady::now() + delay > started + opt.retry_budget) {
                failed.fetch_add(retry.size());
                report(tally, false,
                       " (gave up after " + std::to_string(attempts) +
                           " attempts: the retry budget of " +
                           std::to_string(opt.retry_budget.count()) + " ms is spent)");
                continue;
            }
            retries.fetch_add(retry.size());
            report(tally, true, {});
            work.push_front(item_group{std::move(retry), attempts});
            if (!sleep_for(delay)) return remaining(work);
        }
        return 0;
    }

    // answered: "POST <host><route> answered <status>[ for a record of task "<name>"]: <error>";
    // a 413 also gives the record's size.
    std::string answered(std::string_view route,
                         int status,
                         const detail::ingest_item* item,
                         std::string_view error) const {
        std::string text =
            "POST " + host + std::string(route) + " answered " + std::to_string(status);
        if (item) {
            text += " for a ";
            if (status == 413) text += std::to_string(item->body.size()) + "-byte ";
            text += "record of task \"" + item->task_name + "\"";
        }
        text += ": ";
        text += error;
        return text;
    }

    // report: records each tallied error as the last of its class and hands it to on_error.
    // Retryable errors will be retried when `retrying`; otherwise their message gets `gave_up`.
    void report(const error_tally& tally, bool retrying, const std::string& gave_up) {
        for (const auto& e : tally) {
            delivery_error d;
            d.kind = e.kind;
            d.message = e.message;
            d.http_status = e.status;
            d.records = e.records;
            d.will_retry = e.retryable && retrying;
            if (e.retryable && !retrying) d.message += gave_up;
            {
                std::lock_guard lk(errors_m);
                auto& slot = last_errors[static_cast<std::size_t>(e.kind)];
                d.occurrences = (slot ? slot->occurrences : 0) + 1;
                slot = d;
            }
            if (!opt.on_error) continue;
            try {
                opt.on_error(d);
            } catch (...) {  // NOLINT(bugprone-empty-catch): documented: a handler cannot stop us
            }
        }
    }

    void classify_batch(const detail::http_response& response,
                        std::string_view route,
                        const std::vector<detail::ingest_item>& items,
                        const item_group& g,
                        std::vector<std::size_t>& retry,
                        error_tally& tally) {
        auto parsed = try_parse_json(response.body);
        const json* results = parsed ? parsed->find("results") : nullptr;
        for (std::size_t k = 0; k < g.items.size(); ++k) {
            const auto& item = items[g.items[k]];
            const json* r = nullptr;
            if (results && results->is_array() && k < results->as_array().size()) {
                r = &results->as_array()[k];
            }
            const json* st = r ? r->find("status") : nullptr;
            if (!st || !st->is_integer()) {
                retry.push_back(g.items[k]);
                add(tally, failure_class::bad_response, response.status,
                    answered(route, response.status, &item, "no status for this record"), 1, true);
                continue;
            }
            const auto status = static_cast<int>(st->as_int64());
            if (is_2xx(status)) {
                sent.fetch_add(1);
                continue;
            }
            const bool retryable = is_retryable_status(status);
            if (retryable) {
                retry.push_back(g.items[k]);
            } else {
                failed.fetch_add(1);
            }
            add(tally, classify_status(status), status,
                answered(route, status, &item, error_text(r->find("error"), status)), 1, retryable);
        }
    }

    std::chrono::milliseconds backoff(int attempt,
                                      std::optional<std::chrono::seconds> retry_after,
                                      std::mt19937_64& rng) const {
        using std::chrono::milliseconds;
        if (retry_after) {
            return std::min<milliseconds>(std::chrono::duration_cast<milliseconds>(*retry_after),
                                          opt.retry_after_cap);
        }
        long long ceiling = opt.backoff_base.count();
        for (int i = 1; i < attempt && ceiling < opt.backoff_cap.count(); ++i) ceiling *= 2;
        ceiling = std::min<long long>(ceiling, opt.backoff_cap.count());
        if (ceiling <= 0) return milliseconds(0);
        std::uniform_int_distribution<long long> dist(0, ceiling);
        return milliseconds(dist(rng));
    }

    // sleep_for: waits for delay unless aborted first; false when aborted.
    bool sleep_for(std::chrono::milliseconds delay) {
        std::unique_lock lk(m);
        return !work_cv.wait_until(lk, steady::now() + delay, [this] { return aborted.load(); });
    }

    delivery_report flush(steady::time_point deadline) {
        std::unique_lock lk(m);
        ++flushers;
        work_cv.notify_all();
        idle_cv.wait_until(lk, deadline,
                           [this] { return (inbox.empty() && in_flight == 0) || worker_done; });
        --flushers;
        return report_locked();
    }

    delivery_report shutdown(steady::time_point deadline) {
        std::lock_guard sl(shutdown_m);
        if (shut_down) return final_report;
        if (!worker.joinable()) {
            shut_down = true;
            final_report.drained = true;
            return final_report;
        }
        {
            std::unique_lock lk(m);
            stopping = true;
            work_cv.notify_all();
            idle_cv.wait_until(lk, deadline, [this] { return worker_done; });
            if (!worker_done) {
                aborted.store(true);
                work_cv.notify_all();
            }
        }
        if (conn && aborted.load()) conn->abort();
        if (worker.joinable()) worker.join();
        {
            std::lock_guard lk(m);
            final_report = report_locked();
        }
        shut_down = true;
        return final_report;
    }
};

shipper::shipper(client_config config, shipper_options options)
    : impl_(std::make_unique<impl>(std::move(config), options)) {}

shipper::shipper(shipper&&) noexcept = default;

shipper& shipper::operator=(shipper&& other) noexcept {
    if (this != &other) {
        if (impl_) impl_->shutdown(steady::now() + impl_->opt.destructor_deadline);
        impl_ = std::move(other.impl_);
    }
    return *this;
}

shipper::~shipper() {
    if (impl_) impl_->shutdown(steady::now() + impl_->opt.destructor_deadline);
}

bool shipper::enqueue(execution_record&& record) noexcept {
    if (!impl_ || !impl_->active) return false;
    return impl_->enqueue(std::move(record));
}

record_listener shipper::listener() {
    impl* target = impl_.get();
    return [target](const execution_record& record) {
        if (target && target->active) target->enqueue(execution_record(record));
    };
}

delivery_report shipper::flush(std::chrono::steady_clock::time_point deadline) {
    if (!impl_ || !impl_->active) return delivery_report{0, 0, 0, 0, true};
    return impl_->flush(deadline);
}

delivery_report shipper::shutdown(std::chrono::steady_clock::time_point deadline) {
    if (!impl_) return delivery_report{0, 0, 0, 0, true};
    if (!impl_->active) return delivery_report{0, 0, 0, 0, true};
    return impl_->shutdown(deadline);
}

shipper_counters shipper::counters() const {
    shipper_counters c;
    if (!impl_) return c;
    c.enqueued = impl_->enqueued.load();
    c.sent = impl_->sent.load();
    c.dropped_queue_full = impl_->dropped.load();
    c.failed_permanent = impl_->failed.load();
    c.retries = impl_->retries.load();
    std::lock_guard lk(impl_->m);
    c.queue_depth = impl_->inbox.size();
    return c;
}

std::vector<delivery_error> shipper::last_errors() const {
    std::vector<delivery_error> out;
    if (!impl_) return out;
    std::lock_guard lk(impl_->errors_m);
    for (const auto& e : impl_->last_errors) {
        if (e) out.push_back(*e);
    }
    return out;
}

bool shipper::is_active() const noexcept { return impl_ && impl_->active; }

}  // namespace forge::hive
