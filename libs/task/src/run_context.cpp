#include "run_context.hpp"

#include <forge/task/run.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/uuid.hpp>

#include <mutex>
#include <utility>

namespace forge::detail {

namespace {

// context_pool: the calling thread's idle run contexts. Nested runs (a task used as a boundary)
// take a second context; a few idle ones are kept.
struct context_pool {
    std::vector<std::unique_ptr<run_context>> idle;

    run_context* acquire() {
        if (idle.empty()) return new run_context();
        run_context* c = idle.back().release();
        idle.pop_back();
        return c;
    }

    void release(run_context* c) noexcept {
        c->clear();
        if (idle.size() < 8) {
            try {
                idle.emplace_back(c);
                return;
            } catch (...) {
            }
        }
        delete c;
    }
};

thread_local context_pool pool;

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

void task_config::declare(const std::string& boundary_name) {
    for (const auto& n : boundary_names) {
        if (n == boundary_name) return;
    }
    boundary_names.push_back(boundary_name);
}

void run_context::start(const task_config& cfg) {
    cfg_ = &cfg;
    timing_ = timing_tracker(*cfg.clk);
    timing_.start();
    uuid_ = make_uuid_v7(floor_div(timing_.wall_at(0), 1'000'000));
    n_names_ = 0;
    for (const auto& n : cfg.boundary_names) {
        if (n_names_ < names_.size()) {
            names_[n_names_].assign(n);
        } else {
            names_.push_back(n);
        }
        ++n_names_;
    }
}

void run_context::clear() noexcept {
    cfg_ = nullptr;
    input_ = json();
    n_calls_ = 0;
    n_names_ = 0;
    metadata_.clear();
    metrics_.clear();
    fn_started_ = fn_ended_ = false;
    fn_begin_ = fn_end_ = 0;
    failed_ = false;
    output_.reset();
    error_.clear();
    error_category_ = error_category::other;
}

call_slot* run_context::begin_call(std::string_view name, json* args, std::size_t n) {
    call_slot* sp = nullptr;
    std::int64_t begin = 0;
    std::uint32_t b = 0;
    {
        std::lock_guard guard(lock_);
        const std::uint32_t idx = n_calls_;
        if ((idx >> chunk_bits) >= chunks_.size()) {
            chunks_.push_back(std::make_unique<call_slot[]>(chunk_size));
        }
        while (b < n_names_ && names_[b] != name) ++b;
        if (b == n_names_) {
            if (n_names_ < names_.size()) {
                names_[n_names_].assign(name);
            } else {
                names_.emplace_back(name);
            }
            ++n_names_;
        }
        sp = &slot(idx);
        begin = timing_.offset_ns();
        n_calls_ = idx + 1;
    }
    call_slot& s = *sp;
    s.boundary = b;
    s.st = call_slot::state::open;
    s.begin = begin;
    s.end = begin;
    s.args.clear();
    for (std::size_t i = 0; i < n; ++i) s.args.push_back(std::move(args[i]));
    s.output = json();
    s.error.clear();
    s.extra.clear();
    return sp;
}

void run_context::add_metric(const metric& m) {
    validate_metric(m);
    std::lock_guard guard(lock_);
    metrics_.push_back(m);
}

void run_context::set_metadata(std::string_view key, std::string_view value) {
    json v(value);
    std::lock_guard guard(lock_);
    insert_or_assign(metadata_, key, std::move(v));
}

execution_record run_context::build_record() {
    execution_record r;
    r.input = std::move(input_);
    counts_.assign(n_names_, 0);
    for (std::uint32_t i = 0; i < n_calls_; ++i) ++counts_[slot(i).boundary];
    r.boundaries.reserve(n_names_);
    for (std::uint32_t i = 0; i < n_names_; ++i) {
        r.boundaries.emplace_back(names_[i], boundary_calls{});
        r.boundaries.back().second.reserve(counts_[i]);
    }
    for (std::uint32_t i = 0; i < n_calls_; ++i) {
        call_slot& s = slot(i);
        boundary_record& br = r.boundaries[s.boundary].second.emplace_back();
        br.input.raw().emplace<json_array>(s.args);
        switch (s.st) {
            case call_slot::state::value:
                br.output = std::move(s.output);
                break;
            case call_slot::state::no_value:
                break;
            case call_slot::state::failed:
                br.error = std::move(s.error);
                br.error_category = s.category;
                break;
            case call_slot::state::open:
                br.error = "boundary call did not finish before the task function returned";
                br.error_category = error_category::other;
                break;
        }
        br.timing = timing_.span(s.begin, s.end, fn_begin_, true);
        br.provenance = provenance::live;
        br.seq = i;
        br.extra = std::move(s.extra);
    }
    if (!cfg_->name.empty()) r.task_name = cfg_->name;
    r.metadata = std::move(metadata_);
    r.metrics = std::move(metrics_);
    if (failed_) {
        r.type = record_type::error;
        r.error = std::move(error_);
        r.error_category = error_category_;
    } else {
        r.type = record_type::success;
        if (output_) r.output = std::move(*output_);
    }
    if (fn_started_) r.timing = timing_.span(fn_begin_, fn_end_, 0, false);
    r.uuid = std::move(uuid_);
    return r;
}

call_slot* begin_call(run_context& ctx, std::string_view name, json* args, std::size_t n) {
    return ctx.begin_call(name, args, n);
}

std::int64_t now_offset(const run_context& ctx) noexcept { return ctx.now(); }

void end_call_value(call_slot* slot, std::int64_t end_offset, json&& output) noexcept {
    call_slot& s = *slot;
    s.end = end_offset;
    s.output = std::move(output);
    s.st = call_slot::state::value;
}

void end_call_void(call_slot* slot, std::int64_t end_offset) noexcept {
    call_slot& s = *slot;
    s.end = end_offset;
    s.st = call_slot::state::no_value;
}

void end_call_error(const run_context& ctx, call_slot* slot, const std::exception_ptr& e) noexcept {
    call_slot& s = *slot;
    s.end = ctx.now();
    try {
        s.error = error_message(e);
    } catch (...) {
        s.error.clear();
    }
    s.category = classify_exception(e);
    s.st = call_slot::state::failed;
}

void attach_child_record(const execution_record& r) {
    call_slot* s = tls_current_call.slot;
    if (s == nullptr) return;
    s->extra.emplace_back("childRecord", record_to_json(r));
}

run_scope::run_scope(const task_config& cfg)
    : cfg_(&cfg), ctx_(pool.acquire()), run_(*ctx_, cfg.recording.load(std::memory_order_relaxed)) {
    try {
        ctx_->start(cfg);
    } catch (...) {
        pool.release(ctx_);
        throw;
    }
}

run_scope::~run_scope() { pool.release(ctx_); }

void run_scope::set_input(json input) { ctx_->input_ = std::move(input); }

const json& run_scope::input() const noexcept { return ctx_->input_; }

std::exception_ptr run_scope::validate() {
    if (!cfg_->input_schema) return nullptr;
    auto issues = cfg_->input_schema->validate(ctx_->input_);
    if (issues.empty()) return nullptr;
    auto e = std::make_exception_ptr(validation_error(std::move(issues)));
    fail_early(e);
    return e;
}

void run_scope::fail_early(const std::exception_ptr& e) noexcept {
    ctx_->failed_ = true;
    try {
        ctx_->error_ = error_message(e);
    } catch (...) {
        ctx_->error_.clear();
    }
    ctx_->error_category_ = classify_exception(e);
}

void run_scope::begin_function() noexcept {
    ctx_->fn_started_ = true;
    ctx_->fn_begin_ = ctx_->now();
    ctx_->fn_end_ = ctx_->fn_begin_;
}

void run_scope::end_function() noexcept {
    if (ctx_->fn_ended_) return;
    ctx_->fn_ended_ = true;
    ctx_->fn_end_ = ctx_->now();
}

void run_scope::succeed(std::optional<json> output) noexcept {
    end_function();
    ctx_->output_ = std::move(output);
}

void run_scope::fail(const std::exception_ptr& e) noexcept {
    end_function();
    fail_early(e);
}

execution_record run_scope::finish() {
    execution_record r = ctx_->build_record();
    cfg_->listeners.notify(r);
    listener_registry::global().notify(r);
    return r;
}

}  // namespace forge::detail

namespace forge {

void run::set_metrics(const metric& m) { ctx_->add_metric(m); }

void run::set_metadata(std::string_view key, std::string_view value) {
    ctx_->set_metadata(key, value);
}

std::string_view run::uuid() const noexcept { return ctx_->uuid_; }

}  // namespace forge
