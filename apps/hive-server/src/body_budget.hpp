// A server-wide budget for bytes held in request bodies and their parsed values
// (docs/hive-api.md §4).
#pragma once

#include <forge/types/json_text.hpp>

#include <atomic>
#include <cstddef>
#include <utility>

namespace forge::hive_server::detail {

// body_budget
//
// Counts the bytes of request bodies the server has admitted and not yet finished with, against
// a fixed limit. try_charge(n) admits n more bytes when the total stays within the limit (a
// charge larger than the limit is never admitted); release(n) gives them back. Lock-free (one
// atomic compare-exchange loop), thread-safe, never throws.
class body_budget {
public:
    explicit body_budget(std::size_t limit) noexcept : limit_(limit) {}

    bool try_charge(std::size_t n) noexcept {
        auto used = used_.load(std::memory_order_relaxed);
        do {
            if (n > limit_ || used > limit_ - n) return false;
        } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
        return true;
    }

    void release(std::size_t n) noexcept { used_.fetch_sub(n, std::memory_order_relaxed); }

    std::size_t used() const noexcept { return used_.load(std::memory_order_relaxed); }
    std::size_t limit() const noexcept { return limit_; }

private:
    std::size_t limit_;
    std::atomic<std::size_t> used_{0};
};

// budget_charge: an admitted charge, released when reset or destroyed. Move-only.
class budget_charge {
public:
    budget_charge() = default;
    budget_charge(body_budget& budget, std::size_t n) noexcept : budget_(&budget), n_(n) {}
    budget_charge(budget_charge&& o) noexcept
        : budget_(std::exchange(o.budget_, nullptr)), n_(std::exchange(o.n_, 0)) {}
    budget_charge& operator=(budget_charge&& o) noexcept {
        if (this != &o) {
            reset();
            budget_ = std::exchange(o.budget_, nullptr);
            n_ = std::exchange(o.n_, 0);
        }
        return *this;
    }
    budget_charge(const budget_charge&) = delete;
    budget_charge& operator=(const budget_charge&) = delete;
    ~budget_charge() { reset(); }

    void reset() noexcept {
        if (budget_) budget_->release(n_);
        budget_ = nullptr;
        n_ = 0;
    }

private:
    body_budget* budget_ = nullptr;
    std::size_t n_ = 0;
};

// budget_parse_memory: the parse_memory of one request: charges the parse's values to a
// body_budget (nothing when the budget is null) and releases everything it charged when
// destroyed. Declare it before the values it pays for, so they are gone first. Not copyable.
class budget_parse_memory final : public parse_memory {
public:
    explicit budget_parse_memory(body_budget* budget) noexcept : budget_(budget) {}
    budget_parse_memory(const budget_parse_memory&) = delete;
    budget_parse_memory& operator=(const budget_parse_memory&) = delete;
    ~budget_parse_memory() {
        if (budget_) budget_->release(charged_);
    }

    bool charge(std::size_t bytes) override {
        if (!budget_) return true;
        if (!budget_->try_charge(bytes)) return false;
        charged_ += bytes;
        return true;
    }

    // options: parse options charging this budget.
    parse_options options() noexcept {
        parse_options o;
        o.memory = this;
        return o;
    }

private:
    body_budget* budget_;
    std::size_t charged_ = 0;
};

}  // namespace forge::hive_server::detail
