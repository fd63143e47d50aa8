// forge::run: the run context a task function receives (boundary calls, metadata, metrics).
#pragma once

#include <forge/task/boundary.hpp>
#include <forge/task/codec.hpp>
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

    // operator(): calls boundary b with args and records the call: arguments encoded at call
    // start, result encoded at return (later mutation cannot change the record), or the error
    // message and category when it throws, in which case the original exception propagates
    // unchanged. Cost: two steady-clock reads, one uncontended spin-lock acquisition, the
    // argument and result encodings; no heap allocation for primitive arguments and results once
    // the run context has warmed up. With recording switched off it is a plain call.
    template <class F, class... Args>
    decltype(auto) operator()(const boundary<F>& b, Args&&... args) {
        using result_type = std::invoke_result_t<const F&, Args&&...>;
        if (!recording_) return std::invoke(b.function(), std::forward<Args>(args)...);
        std::array<json, sizeof...(Args)> encoded{forge::to_json<std::decay_t<Args>>(args)...};
        detail::call_slot* const slot =
            detail::begin_call(*ctx_, b.name(), encoded.data(), encoded.size());
        detail::call_marker marker(slot);
        try {
            if constexpr (std::is_void_v<result_type>) {
                std::invoke(b.function(), std::forward<Args>(args)...);
                detail::end_call_void(slot, detail::now_offset(*ctx_));
                return;
            } else {
                result_type r = std::invoke(b.function(), std::forward<Args>(args)...);
                const std::int64_t end = detail::now_offset(*ctx_);
                detail::end_call_value(slot, end,
                                       forge::to_json<std::remove_cvref_t<result_type>>(r));
                if constexpr (std::is_reference_v<result_type>) {
                    return static_cast<result_type>(r);
                } else {
                    return r;
                }
            }
        } catch (...) {
            detail::end_call_error(*ctx_, slot, std::current_exception());
            throw;
        }
    }

    // set_metrics: adds a metric to the record, in call order. Throws invalid_metric_error
    // ("Invalid metric provided: {...}") for an invalid one, which is then not stored; caught,
    // the run goes on; uncaught, the run fails with that message. Thread-safe.
    void set_metrics(const metric& m);

    // set_metadata: sets key to value (last write wins, the key keeps its first position).
    // Thread-safe; allocates for new keys and long values.
    void set_metadata(std::string_view key, std::string_view value);

    // uuid: the record's uuid (v7, assigned when the run started).
    std::string_view uuid() const noexcept;

    // recording: whether boundary calls are being recorded in this run.
    bool recording() const noexcept { return recording_; }

private:
    detail::run_context* ctx_;
    bool recording_;
};

}  // namespace forge
