#include <forge/task/listener_registry.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace forge {

namespace detail {

struct listener_state {
    using entry = std::pair<std::uint64_t, std::shared_ptr<const listener>>;
    using list = std::vector<entry>;

    mutable std::mutex mutex;
    std::shared_ptr<const list> snapshot = std::make_shared<const list>();
    std::atomic<std::size_t> count{0};
    std::uint64_t next_id = 1;
    std::shared_ptr<const error_sink> sink{};

    void remove(std::uint64_t id) noexcept {
        std::lock_guard lock(mutex);
        try {
            auto next = std::make_shared<list>();
            for (const auto& e : *snapshot) {
                if (e.first != id) next->push_back(e);
            }
            count.store(next->size(), std::memory_order_release);
            snapshot = std::move(next);
        } catch (...) {
            // Out of memory while copying: the listener stays registered.
        }
    }
};

}  // namespace detail

listener_handle::listener_handle(listener_handle&& other) noexcept
    : state_(std::move(other.state_)), id_(std::exchange(other.id_, 0)) {}

listener_handle& listener_handle::operator=(listener_handle&& other) noexcept {
    if (this != &other) {
        reset();
        state_ = std::move(other.state_);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

listener_handle::~listener_handle() { reset(); }

void listener_handle::reset() noexcept {
    if (id_ == 0) return;
    if (auto s = state_.lock()) s->remove(id_);
    state_.reset();
    id_ = 0;
}

listener_registry::listener_registry() : state_(std::make_shared<detail::listener_state>()) {}
listener_registry::~listener_registry() = default;

listener_handle listener_registry::add(listener l) {
    if (!l) return {};
    auto shared = std::make_shared<const listener>(std::move(l));
    std::lock_guard lock(state_->mutex);
    auto next = std::make_shared<detail::listener_state::list>(*state_->snapshot);
    std::uint64_t id = state_->next_id++;
    next->emplace_back(id, std::move(shared));
    state_->count.store(next->size(), std::memory_order_release);
    state_->snapshot = std::move(next);
    return listener_handle(state_, id);
}

void listener_registry::notify(const execution_record& r) const noexcept {
    if (state_->count.load(std::memory_order_acquire) == 0) return;
    std::shared_ptr<const detail::listener_state::list> snap;
    {
        std::lock_guard lock(state_->mutex);
        snap = state_->snapshot;
    }
    for (const auto& e : *snap) {
        std::string failure;
        try {
            (*e.second)(r);
            continue;
        } catch (const std::exception& ex) {
            failure = ex.what();
        } catch (...) {
            failure = "unknown exception";
        }
        try {
            std::string line =
                "forge: listener failed for task '" + r.task_name.value_or("") + "': " + failure;
            std::shared_ptr<const error_sink> sink;
            {
                std::lock_guard lock(state_->mutex);
                sink = state_->sink;
            }
            if (sink && *sink) {
                (*sink)(line);
            } else {
                std::fprintf(stderr, "%s\n", line.c_str());
            }
        } catch (...) {
            // A failing sink must not take the run down with it.
        }
    }
}

std::size_t listener_registry::size() const noexcept {
    return state_->count.load(std::memory_order_acquire);
}

void listener_registry::set_error_sink(error_sink sink) {
    auto shared = sink ? std::make_shared<const error_sink>(std::move(sink)) : nullptr;
    std::lock_guard lock(state_->mutex);
    state_->sink = std::move(shared);
}

listener_registry& listener_registry::global() noexcept {
    static listener_registry* const instance = new listener_registry();
    return *instance;
}

}  // namespace forge
