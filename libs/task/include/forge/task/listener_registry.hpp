// forge::listener_registry: who hears about finished runs (per task, and one process-wide).
#pragma once

#include <forge/types/execution_record.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace forge {

// listener: a callable given each finished record, read-only. The hive shipper's listener has
// exactly this shape.
using listener = std::function<void(const execution_record&)>;

// error_sink: receives a one-line report when a listener throws.
using error_sink = std::function<void(std::string_view message)>;

namespace detail {
struct listener_state;
}

// listener_handle
//
// Keeps one listener registered; destroying or reset()ting it removes the listener (the removal
// waits for nothing: a run that already took its snapshot may still call it once). Move-only.
// Safe to destroy after its registry is gone.
class listener_handle {
public:
    listener_handle() noexcept = default;
    listener_handle(std::weak_ptr<detail::listener_state> state, std::uint64_t id) noexcept
        : state_(std::move(state)), id_(id) {}
    listener_handle(listener_handle&& other) noexcept;
    listener_handle& operator=(listener_handle&& other) noexcept;
    listener_handle(const listener_handle&) = delete;
    listener_handle& operator=(const listener_handle&) = delete;
    ~listener_handle();

    // reset: removes the listener now (no-op when empty).
    void reset() noexcept;

    // active: still holds a registration.
    bool active() const noexcept { return id_ != 0; }

private:
    std::weak_ptr<detail::listener_state> state_{};
    std::uint64_t id_ = 0;
};

// listener_registry
//
// An ordered set of listeners. Rules:
// - Thread-safe: add, remove and notify may run concurrently from any thread. notify takes a
//   snapshot under a mutex and calls listeners without holding it, so a listener may add or
//   remove listeners. With no listener registered, notify costs one atomic load.
// - Order: registration order. A task calls its own listeners first, then the global ones.
// - Exceptions: a listener that throws is reported to the error sink ("forge: listener failed
//   for task '<name>': <what>") and skipped; it never changes a run's result or stops the others.
//   The default sink writes the line to stderr. A throwing sink is ignored.
// - global() is the one process-wide registry. It is never destroyed, so runs during static
//   destruction are safe; listeners still registered at exit are simply not called any more
//   once no run happens.
class listener_registry {
public:
    listener_registry();
    ~listener_registry();
    listener_registry(const listener_registry&) = delete;
    listener_registry& operator=(const listener_registry&) = delete;

    // add: registers l (empty callables are ignored and give an empty handle). Allocates.
    [[nodiscard]] listener_handle add(listener l);

    // notify: calls every listener with r, in order, reporting exceptions to the error sink.
    void notify(const execution_record& r) const noexcept;

    // size: the number of registered listeners.
    std::size_t size() const noexcept;

    // set_error_sink: replaces the sink for listener failures (an empty function restores the
    // stderr default).
    void set_error_sink(error_sink sink);

    // global: the process-wide registry.
    static listener_registry& global() noexcept;

private:
    std::shared_ptr<detail::listener_state> state_;
};

}  // namespace forge
