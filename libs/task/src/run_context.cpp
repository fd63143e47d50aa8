#include "run_context.hpp"

#include <forge/task/run.hpp>
#include <forge/types/record_json.hpp>

#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
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

void run_context::start(const task_config& cfg) {
    cfg_ = &cfg;
    timing_ = timing_tracker(*cfg.clk);
    timing_.start();
    uuid_ = cfg.uuids->make(floor_div(timing_.wall_at(0), 1'000'000));
}

void run_context::clear() noexcept {
    cfg_ = nullptr;
    input_ = json();
    n_calls_ = 0;
    metadata_.clear();
    metrics_.clear();
    fn_started_ = fn_ended_ = false;
    fn_begin_ = fn_end_ = 0;
    failed_ = false;
    output_.reset();
    error_.clear();
    error_category_ = error_category::other;
    replay_from_.reset();
    plan_.reset();
}

call_slot* run_context::begin_call(std::uint32_t index, json* args, std::size_t n) {
    call_slot* sp = nullptr;
    std::int64_t begin = 0;
    {
        std::lock_guard guard(lock_);
        const std::uint32_t idx = n_calls_;
        if ((idx >> chunk_bits) >= chunks_.size()) {
            chunks_.push_back(std::make_unique<call_slot[]>(chunk_size));
        }
        sp = &slot(idx);
        begin = timing_.offset_ns();
        n_calls_ = idx + 1;
    }
    call_slot& s = *sp;
    s.boundary = index;
    s.st = call_slot::state::open;
    s.source = provenance::live;
    s.begin = begin;
    s.end = begin;
    s.args.clear();
    for (std::size_t i = 0; i < n; ++i) s.args.push_back(std::move(args[i]));
    s.output = json();
    s.error.clear();
    s.live_error.clear();
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
    const auto& names = cfg_->boundary_names;
    counts_.assign(names.size(), 0);
    for (std::uint32_t i = 0; i < n_calls_; ++i) ++counts_[slot(i).boundary];
    r.boundaries.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        r.boundaries.emplace_back(names[i], boundary_calls{});
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
        br.provenance = s.source;
        br.seq = i;
        if (!s.live_error.empty()) br.live_error = std::move(s.live_error);
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
    r.replay_from = std::move(replay_from_);
    return r;
}

void run_context::end_value(call_slot& s,
                            std::int64_t end,
                            provenance source,
                            json&& output) noexcept {
    s.end = end;
    s.source = source;
    s.output = std::move(output);
    s.st = call_slot::state::value;
}

void run_context::end_void(call_slot& s, provenance source) noexcept {
    s.end = now();
    s.source = source;
    s.st = call_slot::state::no_value;
}

void run_context::end_error(call_slot& s, provenance source, const std::exception_ptr& e) noexcept {
    s.end = now();
    s.source = source;
    try {
        s.error = error_message(e);
    } catch (...) {
        s.error.clear();
    }
    s.category = classify_exception(e);
    s.st = call_slot::state::failed;
}

boundary_site find_boundary(const run_context& ctx,
                            std::uint64_t id,
                            std::string_view name,
                            bool recording) {
    const task_config& cfg = *ctx.cfg_;
    const std::size_t n = cfg.boundary_ids.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (cfg.boundary_ids[i] != id) continue;
        boundary_site site{static_cast<std::uint32_t>(i),
                           cfg.substitutes[i].load(std::memory_order_acquire), recording, false};
        if (site.substitute != nullptr) {
            site.intercept = true;
        } else if (const tape_plan* plan = ctx.plan_.get(); plan != nullptr) {
            const forge::mode m = plan->boundaries[i].mode;
            site.intercept = m != forge::mode::proxy && m != forge::mode::passthrough;
            site.record = recording && m != forge::mode::passthrough;
        }
        return site;
    }
    throw std::logic_error("forge::task \"" + cfg.name + "\" called boundary \"" +
                           std::string(name) +
                           "\", which is not one of its boundaries: pass it in "
                           "forge::boundaries(...) when constructing the task");
}

namespace {

// finish_answered: ends a call answered by a substitute or a tape: rethrows its error, or decodes
// its value into the call's result and records it.
void finish_answered(run_context& ctx,
                     call_slot* slot,
                     std::uint32_t index,
                     const typed_call& call,
                     substitute_answer& answer) {
    if (answer.error) std::rethrow_exception(answer.error);
    const json* value = answer.value ? &*answer.value : answer.borrowed;
    if (!call.accept(call.result_self, value)) {
        const task_config& cfg = *ctx.cfg_;
        throw std::logic_error(
            "forge::task \"" + cfg.name + "\": boundary \"" + cfg.boundary_names[index] +
            "\" has a substitute, but its result type cannot be decoded from JSON (give "
            "forge::codec of the result a from_json, or return a value, not a reference)");
    }
    if (slot == nullptr) return;
    if (call.has_value) {
        ctx.end_value(*slot, ctx.now(), answer.source,
                      answer.value ? std::move(*answer.value)
                      : value      ? json(*value)
                                   : json());
    } else {
        ctx.end_void(*slot, answer.source);
    }
}

}  // namespace

void call_boundary(run_context& ctx,
                   const boundary_site& site,
                   json* args,
                   std::size_t n,
                   const typed_call& call) {
    call_slot* const slot = site.record ? ctx.begin_call(site.index, args, n) : nullptr;
    provenance source = provenance::live;
    try {
        if (site.intercept) {
            const task_config& cfg = *ctx.cfg_;
            const call_info info{cfg.name, cfg.boundary_names[site.index], site.index,
                                 slot != nullptr ? slot->args.data() : args, n};
            std::optional<std::uint32_t> position;
            std::optional<substitute_answer> answer =
                site.substitute != nullptr
                    ? site.substitute->answer(info)
                    : ctx.plan_->before_live(info, ctx.tape_state_, position);
            if (answer) {
                source = answer->source;
                finish_answered(ctx, slot, site.index, call, *answer);
                return;
            }
            if (site.substitute == nullptr) {
                try {
                    call.live(call.live_self, slot);
                } catch (...) {
                    const std::exception_ptr live_error = std::current_exception();
                    std::optional<substitute_answer> fallback =
                        ctx.plan_->after_live_error(info, ctx.tape_state_, position);
                    if (!fallback) throw;
                    source = fallback->source;
                    if (slot != nullptr) slot->live_error = error_message(live_error);
                    finish_answered(ctx, slot, site.index, call, *fallback);
                    return;
                }
            } else {
                call.live(call.live_self, slot);
            }
        } else {
            call.live(call.live_self, slot);
        }
        if (slot == nullptr) return;
        if (call.has_value) {
            const std::int64_t end = ctx.now();
            json out;
            call.encode(call.result_self, out);
            ctx.end_value(*slot, end, source, std::move(out));
        } else {
            ctx.end_void(*slot, source);
        }
    } catch (...) {
        if (slot != nullptr) ctx.end_error(*slot, source, std::current_exception());
        throw;
    }
}

void attach_child_record(call_slot* slot, const execution_record& r) {
    if (slot == nullptr) return;
    slot->extra.emplace_back("childRecord", record_to_json(r));
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

std::exception_ptr run_scope::prepare() noexcept {
    try {
        ctx_->plan_ = cfg_->current_plan();
        if (ctx_->plan_) ctx_->tape_state_.reset(*ctx_->plan_);
        return nullptr;
    } catch (...) {
        return std::current_exception();
    }
}

void run_scope::start_replay(const execution_record& source) {
    ctx_->metadata_ = source.metadata;
    ctx_->replay_from_ = source.uuid;
}

std::exception_ptr run_scope::prepare_replay(const execution_record& source,
                                             const replay_options& options) noexcept {
    try {
        if (source.layout.was_read() && !source.layout.contains(record_key::boundaries)) {
            throw std::invalid_argument(
                "forge::task \"" + cfg_->name +
                "\": the replay source has no \"boundaries\" object, so there is nothing to "
                "replay from" +
                (source.uuid ? " (source " + *source.uuid + ")" : std::string()));
        }
        ctx_->plan_ = build_replay_plan(*cfg_, source, options);
        ctx_->tape_state_.reset(*ctx_->plan_);
        return nullptr;
    } catch (...) {
        return std::current_exception();
    }
}

std::exception_ptr run_scope::unused_entries() const {
    if (!ctx_->plan_) return nullptr;
    return ctx_->plan_->unused_entries(*cfg_, ctx_->tape_state_);
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
