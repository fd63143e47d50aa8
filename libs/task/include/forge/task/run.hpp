// forge::run: the run context a task function receives (boundary calls, metadata, metrics).
#pragma once

#include <forge/task/boundary.hpp>
#include <forge/task/codec.hpp>
#include <forge/task/detail/call_result.hpp>
#include <forge/task/detail/run_hooks.hpp>
#include <forge/types/metric.hpp>

#include <array>
#include <exception>
#include <functional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace forge {

// run
//
// The context of one execution, handed to the task function by reference. Calls made through it
// are recorded in the run's record; set_metadata and set_metrics are always available and are
// never listed as boundaries. Thread-safe within its run: the task function may pass it to
// threads it starts, provided every call has returned before the function returns. Entries are
// ordered by call start: seq is taken under a short spin lock together with the start time, so
// seq order and offsetNs order agree even across threads. Not copyable or movable; valid only
// until the task function returns.
class run {
public:
    run(detail::run_context& ctx, bool recording) noexcept : ctx_(&ctx), recording_(recording) {}
    run(const run&) = delete;
    run& operator=(const run&) = delete;

    // operator(): calls boundary b, one of the task's own boundaries, with args. Every call goes
    // through the decision point (detail::call_boundary): a mock installed on b answers first;
    // else b's mode decides (docs/replay.md): live (proxy, passthrough), from the run's tape
    // (replay, proxy-pass, record-once), or from the tape when the live call fails
    // (proxy-catch). Answers are decoded with b's result codec (a result type without a decoder
    // is a std::logic_error at that call). Recorded (except in passthrough): arguments encoded at
    // call start, result encoded at return (later mutation cannot change the record) or the
    // error message and category, and the provenance; an error propagates unchanged (a tape miss
    // in replay throws forge::replay_divergence). Throws std::logic_error naming the task and b
    // when the task does not own b. Cost: a scan of the task's boundary ids, two steady-clock
    // reads, one uncontended spin lock, the argument and result encodings; no heap allocation
    // for primitive arguments and results once the run context has warmed up. With recording
    // switched off (or passthrough) and nothing to intercept it is a plain call after the scan.
    template <class F, class... Args>
    decltype(auto) operator()(const boundary<F>& b, Args&&... args) {
        using result_type = std::invoke_result_t<const F&, Args&&...>;
        const detail::boundary_site site =
            detail::find_boundary(*ctx_, b.id(), b.name(), recording_);
        if (!site.record && !site.intercept) {
            return std::invoke(b.function(), std::forward<Args>(args)...);
        }
        std::array<json, sizeof...(Args)> encoded{forge::to_json<std::decay_t<Args>>(args)...};
        detail::call_result<result_type> result;
        auto live = [&](detail::call_slot* slot) {
            result.set([&]() -> result_type {
                if constexpr (detail::takes_call_slot<F>) {
                    return std::invoke(b.function(), slot, std::forward<Args>(args)...);
                } else {
                    return std::invoke(b.function(), std::forward<Args>(args)...);
                }
            });
        };
        detail::call_boundary(*ctx_, site, encoded.data(), encoded.size(), result.erase(live));
        return result.take();
    }

    // set_metrics: adds a metric to the record, in call order. Throws invalid_metric_error
    // ("Invalid metric provided: {...}") for an invalid one, which is then not stored; caught,
    // the run goes on; uncaught, the run fails with that message. Thread-safe.
    void set_metrics(const metric& m);

    // set_metadata: sets key to value (last write wins, the key keeps its first position).
    // Thread-safe; allocates for new keys and long values.
    void set_metadata(std::string_view key, std::string_view value);

    // uuid: the record's uuid (from the task's uuid source, v7 by default; assigned when the run
    // started).
    std::string_view uuid() const noexcept;

    // recording: whether boundary calls are being recorded in this run.
    bool recording() const noexcept { return recording_; }

private:
    detail::run_context* ctx_;
    bool recording_;
};

}  // namespace forge
