// forge::task: a named unit of work whose every run produces an execution record.
#pragma once

#include <forge/task/boundary.hpp>
#include <forge/task/boundary_list.hpp>
#include <forge/task/clock.hpp>
#include <forge/task/codec.hpp>
#include <forge/task/detail/boundary_substitute.hpp>
#include <forge/task/detail/run_scope.hpp>
#include <forge/task/detail/signature.hpp>
#include <forge/task/fields.hpp>
#include <forge/task/listener_registry.hpp>
#include <forge/task/mode.hpp>
#include <forge/task/replay_divergence.hpp>
#include <forge/task/run.hpp>
#include <forge/task/run_result.hpp>
#include <forge/task/schema.hpp>
#include <forge/task/tape.hpp>
#include <forge/task/tape_options.hpp>
#include <forge/task/uuid_source.hpp>
#include <forge/types/errors.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>

#include <atomic>
#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace forge {

class record_tape;

// no_input: the input type of a task whose function takes only the run context. Recorded as {}.
struct no_input {
    friend bool operator==(const no_input&, const no_input&) = default;
};

template <>
struct codec<no_input> {
    static json to_json(const no_input&) { return json::object(); }
    static no_input from_json(const json&, const json_path&) { return {}; }
};

namespace detail {

// Stand-in input types for a task declaration that cannot work; task's static_asserts name the
// fix. They accept any argument, so the first error is the only one about the declaration.
struct task_declaration_error {
    template <class... A>
    constexpr task_declaration_error(A&&...) noexcept {}
};
struct generic_task_function : task_declaration_error {
    using task_declaration_error::task_declaration_error;
};
struct malformed_task_function : task_declaration_error {
    using task_declaration_error::task_declaration_error;
};
struct unnamed_task : task_declaration_error {
    using task_declaration_error::task_declaration_error;
};
struct boundaries_after_function : task_declaration_error {
    using task_declaration_error::task_declaration_error;
};
struct bare_boundary : task_declaration_error {
    using task_declaration_error::task_declaration_error;
};

// task_name_arg: what a task's name may be given as.
template <class N>
concept task_name_arg = std::is_convertible_v<N, std::string>;

// always_false: a dependent false, for static_asserts in templates that must not be used.
template <class...>
inline constexpr bool always_false = false;

template <class T>
concept declaration_error = std::derived_from<T, task_declaration_error>;

// task_signature: input and output of a task function of signature S: (A, forge::run&) gives
// input A without cv and reference, (forge::run&) gives no_input, anything else
// malformed_task_function.
template <class S>
struct task_signature {
    using input = malformed_task_function;
    using output = void;
};
template <class R, class A>
struct task_signature<R(A, forge::run&)> {
    using input = std::remove_cvref_t<A>;
    using output = std::remove_cv_t<R>;
};
template <class R>
struct task_signature<R(forge::run&)> {
    using input = no_input;
    using output = std::remove_cv_t<R>;
};

// task_fn_traits: input and output of the task function type F (a function, a function pointer
// or a class with one non-template operator()). A class whose operator() is a template (a generic
// lambda) or overloaded gives generic_task_function; a function that cannot be called with
// (const input&, forge::run&) gives malformed_task_function.
template <class F>
struct task_fn_traits {
private:
    using sig = task_signature<typename signature_of<F>::type>;
    using declared_input = typename sig::input;
    static constexpr bool generic = std::is_class_v<F> && !requires { &F::operator(); };
    static constexpr bool callable = [] {
        if constexpr (declaration_error<declared_input>) {
            return false;
        } else if constexpr (std::is_same_v<declared_input, no_input>) {
            return std::is_invocable_v<F&, forge::run&>;
        } else {
            return std::is_invocable_v<F&, const declared_input&, forge::run&>;
        }
    }();

public:
    using input =
        std::conditional_t<generic,
                           generic_task_function,
                           std::conditional_t<callable, declared_input, malformed_task_function>>;
    using output = std::conditional_t<callable, typename sig::output, void>;
};

template <class F>
using task_input_t = typename task_fn_traits<std::decay_t<F>>::input;
template <class F>
using task_output_t = typename task_fn_traits<std::decay_t<F>>::output;

}  // namespace detail

// task
//
// A named task: description, optional input schema, the boundaries it owns and a main function of
// (input, run context) returning the output. Usually written with class template argument
// deduction from the function, as the TypeScript createTask({boundaries, fn}):
//
//   forge::task get_portfolio("getPortfolio", input_schema,
//       forge::boundaries(fetch_holdings, fetch_price),
//       [&](const input& in, forge::run& run) { ... return output{total}; });
//   auto [output, error, record] = get_portfolio.safe_run(input{"ada"});
//
// The boundaries given at construction are the task's, in order: each appears in every record's
// `boundaries` (`[]` when not called); two with the same name are rejected (std::invalid_argument)
// and calling a boundary the task does not own fails that call with a std::logic_error naming
// both. Inputs and outputs need a forge::codec (built in, or FORGE_FIELDS); the input must also
// decode (safe_run_json). A void output records no `output` key, a nullptr output records null; a
// function of (forge::run&) only has input type no_input, recorded as {}.
//
// The name comes first and is required at compile time; "" is a deliberate unnamed task (records
// without taskName, as docs/record-format.md allows). Mistakes stop the compile with the fix as
// the first error: a missing name, a function that is not (const In&, forge::run&) or
// (forge::run&), a generic lambda, an input or output type without a codec, boundaries after the
// function or not wrapped in forge::boundaries (tests/compile-errors shows each).
//
// Thread-safety: safe_run, run and the JSON entry points may be called on many threads at once;
// each run has its own context (metadata, metrics, boundary log). Configure the task (describe,
// set_clock, set_uuid_source, input schema) before running it; set_recording, set_substitute and
// listeners may change at any time. Move-only handle to heap state: moving it keeps boundaries
// made by as_boundary valid; the task keeps no history of past runs.
template <class In, class Out>
class task {
    static_assert(!std::is_same_v<In, detail::unnamed_task>,
                  "forge::task needs a name first: forge::task t(\"name\", fn) or "
                  "forge::task t(\"name\", input_schema, fn) (\"\" makes an unnamed task)");
    static_assert(!std::is_same_v<In, detail::generic_task_function>,
                  "forge::task: a generic lambda (an auto parameter) cannot be a task function: "
                  "give its input parameter a concrete type, as in "
                  "[](const order& in, forge::run& run) { ... }");
    static_assert(!std::is_same_v<In, detail::malformed_task_function>,
                  "forge::task: a task function takes (const In&, forge::run&) or (forge::run&)");
    static_assert(!std::is_same_v<In, detail::boundaries_after_function>,
                  "forge::task: the boundaries come before the function: "
                  "forge::task t(\"name\", forge::boundaries(a, b), fn)");
    static_assert(!std::is_same_v<In, detail::bare_boundary>,
                  "forge::task: wrap the task's boundaries in forge::boundaries(...): "
                  "forge::task t(\"name\", forge::boundaries(a, b), fn)");
    static_assert(detail::declaration_error<In> || encodable<In>, FORGE_DETAIL_NO_CODEC);
    static_assert(detail::declaration_error<In> || !detail::has_codec<In> || decodable<In>,
                  FORGE_DETAIL_NO_DECODER);
    static_assert(detail::declaration_error<In> || std::is_void_v<Out> || encodable<Out>,
                  FORGE_DETAIL_NO_CODEC);

public:
    using input_type = In;
    using output_type = Out;
    using function_type = std::function<Out(const In&, forge::run&)>;

    // task(name, fn), task(name, input_schema, fn), task(name, boundaries, fn),
    // task(name, input_schema, boundaries, fn): a task named name (the record's taskName) owning
    // the boundaries (forge::boundaries(...), in order) and running fn. Allocates the task's state
    // and reads FORGE_MODE / FORGE_TAPE_DIR (see set_mode). Throws std::invalid_argument naming
    // the task when two boundaries share a name, or naming FORGE_MODE when it is not a mode.
    template <class F>
    task(std::string name, F fn) : task(std::move(name), boundary_list(), std::move(fn)) {}

    template <class F>
    task(std::string name, schema input_schema, F fn)
        : task(std::move(name), std::move(input_schema), boundary_list(), std::move(fn)) {}

    template <class F>
    task(std::string name, const boundary_list& owned, F fn) : state_(std::make_shared<state>()) {
        state_->cfg.name = std::move(name);
        state_->cfg.set_boundaries(owned);
        state_->cfg.read_environment();
        state_->fn = wrap(std::move(fn));
    }

    template <class F>
    task(std::string name, schema input_schema, const boundary_list& owned, F fn)
        : task(std::move(name), owned, std::move(fn)) {
        state_->cfg.input_schema = std::move(input_schema);
    }

    // Declarations the static_asserts above reject; they exist so that no second error follows.
    template <class... A>
    requires detail::declaration_error<In>
    explicit task(A&&...) {}

    task(task&&) noexcept = default;
    task& operator=(task&&) noexcept = default;
    task(const task&) = delete;
    task& operator=(const task&) = delete;
    ~task() = default;

    // name: the record's taskName ("" gives records without taskName).
    const std::string& name() const noexcept { return state_->cfg.name; }

    // set_description / description: free text for humans and describe().
    task& set_description(std::string text) {
        state_->cfg.description = std::move(text);
        return *this;
    }
    const std::string& description() const noexcept { return state_->cfg.description; }

    // input_schema: the schema inputs are validated against, if any.
    const std::optional<schema>& input_schema() const noexcept { return state_->cfg.input_schema; }

    // declare: removed; the boundaries are given at construction. Kept only to name the fix.
    template <class... A>
    task& declare(const A&...) {
        static_assert(detail::always_false<A...>,
                      "forge::task::declare is gone: pass the boundaries when constructing the "
                      "task: forge::task t(\"name\", forge::boundaries(a, b), fn)");
        return *this;
    }

    // boundary_names: the task's boundaries, in order.
    const std::vector<std::string>& boundary_names() const noexcept {
        return state_->cfg.boundary_names;
    }

    // owns: whether b is one of this task's boundaries (by identity, not name).
    template <class F>
    bool owns(const boundary<F>& b) const noexcept {
        return state_->cfg.index_of(b.id()) >= 0;
    }

    // set_clock: the clock for this task's timing (default forge::clock::system()). The clock
    // must outlive the task; set it before running.
    task& set_clock(const forge::clock& c) noexcept {
        state_->cfg.clk = &c;
        return *this;
    }

    // set_uuid_source: the source of record uuids (default forge::uuid_source::v7()). The source
    // must outlive the task; set it before running.
    task& set_uuid_source(const forge::uuid_source& u) noexcept {
        state_->cfg.uuids = &u;
        return *this;
    }

    // set_substitute: installs s on boundary b of this task (null removes it): from then on each
    // call of b asks s first (recording on or off) and only calls b's function when s has no
    // answer. The hook of mocks and tapes. A substituted boundary's result is decoded with its
    // codec; a result type without a decoder fails each substituted call at run time with a
    // std::logic_error naming the task and the boundary. s must outlive the runs that may use it.
    // One atomic store; thread-safe. Throws std::invalid_argument when the task does not own b.
    template <class F>
    task& set_substitute(const boundary<F>& b, const detail::boundary_substitute* s) {
        state_->cfg.set_substitute(b.id(), b.name(), s);
        return *this;
    }

    // substitute_slot: the atomic substitute pointer of b, sharing this task's state (so it stays
    // valid when the task is moved or destroyed). The hook forge::mock_boundary installs through.
    // Throws std::invalid_argument when the task does not own b.
    template <class F>
    std::shared_ptr<std::atomic<const detail::boundary_substitute*>> substitute_slot(
        const boundary<F>& b) {
        const std::ptrdiff_t i = state_->cfg.index_of(b.id());
        if (i < 0) state_->cfg.set_substitute(b.id(), b.name(), nullptr);
        return {state_, &state_->cfg.substitutes[static_cast<std::size_t>(i)]};
    }

    // substitute_slot_at: as substitute_slot, for the task's i-th boundary (in boundary_names()
    // order). Throws std::out_of_range when i is not below boundary_names().size().
    std::shared_ptr<std::atomic<const detail::boundary_substitute*>> substitute_slot_at(
        std::size_t i) {
        if (i >= boundary_names().size())
            throw std::out_of_range("forge::task \"" + name() + "\": no boundary at index " +
                                    std::to_string(i));
        return {state_, &state_->cfg.substitutes[i]};
    }

    // set_mode: the mode of every boundary of this task that has none of its own (default
    // proxy; forge/task/mode.hpp and docs/testing.md describe each). The environment variable
    // FORGE_MODE, read when the task was built, overrides this task-wide mode unless
    // follow_environment(false); a task locked into a tape mode by FORGE_MODE without a tape from
    // code reads $FORGE_TAPE_DIR/<name>.log (a forge::record_tape file) at its first run. A
    // boundary's own mode (set_mode(b, m)) wins over both. Mocks win over every mode. Throws
    // std::invalid_argument when a tape mode would have to answer a boundary whose result type
    // cannot be decoded (naming the boundary and the type): give that boundary its own mode
    // first. Configure before running (not concurrently with runs).
    task& set_mode(forge::mode m) {
        state_->cfg.set_task_mode(m);
        return *this;
    }
    template <class F>
    task& set_mode(const boundary<F>& b, forge::mode m) {
        state_->cfg.set_boundary_mode(state_->cfg.index_or_throw(b.id(), b.name(), "have a mode"),
                                      m);
        return *this;
    }

    // set_mode with text: refused at compile time, naming the fix.
    template <class Text>
    requires std::is_convertible_v<const Text&, std::string_view> task& set_mode(const Text&) {
        static_assert(detail::always_false<Text>,
                      "forge::task::set_mode takes a forge::mode, not text: "
                      "t.set_mode(forge::mode::replay); from text use "
                      "forge::parse_mode(\"replay\")");
        return *this;
    }

    // follow_environment: false makes this task ignore FORGE_MODE (a task whose boundaries must
    // stay live even when CI locks every task into replay).
    task& follow_environment(bool on) {
        state_->cfg.set_follow_environment(on);
        return *this;
    }

    // set_tape: the tape the tape modes answer from, read under policy (default sequence) with
    // repeats (default reuse_last) unless a boundary has its own policy. The tape is shared, never
    // changed by runs. Indexed by the first run afterwards: O(entries) once, then each lookup
    // costs one hash of the arguments and a probe, whatever the tape's size.
    task& set_tape(std::shared_ptr<const forge::tape> t,
                   tape_policy policy = tape_policy::sequence,
                   forge::repeats r = forge::repeats::reuse_last) {
        state_->cfg.set_tape(std::move(t), policy, r);
        return *this;
    }
    task& set_tape(forge::tape t,
                   tape_policy policy = tape_policy::sequence,
                   forge::repeats r = forge::repeats::reuse_last) {
        return set_tape(std::make_shared<const forge::tape>(std::move(t)), policy, r);
    }

    // set_tape with a forge::record_tape: refused at compile time, naming the fix.
    template <class R>
    requires std::same_as<R, forge::record_tape> task& set_tape(
        const R&,
        tape_policy = tape_policy::sequence,
        forge::repeats = forge::repeats::reuse_last) {
        static_assert(detail::always_false<R>,
                      "forge::task::set_tape takes a forge::tape: compile the record tape "
                      "first: t.set_tape(record_tape.compile())");
        return *this;
    }

    // set_policy: boundary b's own tape policy (and repeats, when given).
    template <class F>
    task& set_policy(const boundary<F>& b,
                     tape_policy policy,
                     std::optional<forge::repeats> r = std::nullopt) {
        state_->cfg.set_boundary_policy(
            state_->cfg.index_or_throw(b.id(), b.name(), "have a tape policy"), policy, r);
        return *this;
    }

    // ignore_paths: parts of b's arguments that tape matching ignores, as paths into the argument
    // array in json_path form ("0.timestamp": member timestamp of the first argument; "1": the
    // whole second argument; "*" matches every member or element). Applies in tape modes and
    // replay.
    template <class F>
    task& ignore_paths(const boundary<F>& b, std::vector<std::string> paths) {
        state_->cfg.set_ignore_paths(
            state_->cfg.index_or_throw(b.id(), b.name(), "have ignore paths"), std::move(paths));
        return *this;
    }

    // set_matcher: a custom matcher for b's tape entries (forge::input_matcher); b's lookups then
    // scan its entries instead of hashing.
    template <class F>
    task& set_matcher(const boundary<F>& b, input_matcher m) {
        state_->cfg.set_matcher(state_->cfg.index_or_throw(b.id(), b.name(), "have a matcher"),
                                std::move(m));
        return *this;
    }

    // set_recording: switches boundary-call recording on or off for runs that start afterwards.
    // Off, a boundary call records nothing (the task's boundaries still appear as []) and costs
    // a direct call plus the id scan and the substitute check (a substituted boundary stays
    // substituted); metadata, metrics and timing are still recorded.
    void set_recording(bool on) noexcept {
        state_->cfg.recording.store(on, std::memory_order_relaxed);
    }
    bool recording() const noexcept {
        return state_->cfg.recording.load(std::memory_order_relaxed);
    }

    // listeners / add_listener: this task's listeners (called before the global ones).
    listener_registry& listeners() noexcept { return state_->cfg.listeners; }
    [[nodiscard]] listener_handle add_listener(listener l) {
        return state_->cfg.listeners.add(std::move(l));
    }

    // describe: {"name", "description", "inputSchema" (JSON Schema, when set), "boundaries"}.
    json describe() const {
        json out = json::object({{"name", name()}, {"description", description()}});
        if (input_schema()) out.set("inputSchema", input_schema()->describe());
        json_array names;
        for (const auto& n : boundary_names()) names.emplace_back(n);
        out.set("boundaries", json(std::move(names)));
        return out;
    }

    // safe_run
    //
    // Runs the task on in: encodes the input for the record, validates it (when a schema is set;
    // a failure gives the validation-error record, no timing, and the function does not run),
    // calls the function, and returns the output or the error together with the finished record,
    // after the task's and the global listeners have seen it. Never throws for task, boundary,
    // validation or listener errors (only std::bad_alloc can escape). Cost: one wall-clock read
    // and two steady reads per run, two steady reads per boundary call, one uuid, and the
    // record's allocations. Thread-safe.
    run_result<Out> safe_run(const In& in) const { return safe_run_on(*state_, in); }

    // safe_run (no input): for tasks whose function takes only the run context.
    run_result<Out> safe_run() const requires std::is_same_v<In, no_input> {
        return safe_run(no_input{});
    }

    // run: as safe_run, but returns the output or rethrows the original exception (its type
    // preserved; a failed validation throws forge::validation_error). Listeners still get the
    // record.
    Out run(const In& in) const {
        auto r = safe_run(in);
        if (r.error) std::rethrow_exception(r.error);
        if constexpr (!std::is_void_v<Out>) return std::move(*r.output);
    }

    // safe_run_json: the entry point for runners, the CLI and replay: the input is JSON. It is
    // recorded verbatim, validated against the schema, then decoded with codec<In> (a decoding
    // error is a validation failure naming the field path). The output is returned as JSON
    // (null for void tasks). Never throws for task errors.
    run_result<json> safe_run_json(const json& input) const {
        return run_json_on(*state_, input, nullptr, nullptr);
    }

    // run_json: as safe_run_json, but returns the output JSON or rethrows the original exception.
    json run_json(const json& input) const {
        auto r = safe_run_json(input);
        if (r.error) std::rethrow_exception(r.error);
        return std::move(*r.output);
    }

    // safe_replay
    //
    // Runs the task again on source's input, verbatim, answering boundary calls from source's
    // entries (docs/record-format.md §11): by default every boundary in replay mode under the
    // journal policy (the k-th call must match the k-th recorded entry; calls that overlapped in
    // time in the recorded run match by input among themselves); options change the mode or
    // policy per boundary and can demand that every entry be used (strict). The record is a
    // replay record: this task's name, replayFrom = source's uuid, metadata starting as a copy of
    // source's, only the metrics emitted now, timing measured now, every call with its
    // provenance. A call the tape cannot answer throws forge::replay_divergence into the task
    // function (recorded as that call's error). Never throws for task errors: a source without a
    // boundaries object, a tape mode on a boundary that cannot be decoded or a strict replay with
    // unused entries give a failed result. source is not changed. Cost: indexing source's entries
    // (linear) plus a run.
    run_result<json> safe_replay(const execution_record& source,
                                 const replay_options& options = {}) const {
        return run_json_on(*state_, source.input ? *source.input : json::object(), &source,
                           &options);
    }

    // safe_replay with text: refused at compile time, naming the fix.
    template <class Text>
    requires std::is_convertible_v<const Text&, std::string_view> run_result<json> safe_replay(
        const Text&, const replay_options& = {})
    const {
        static_assert(detail::always_false<Text>,
                      "forge::task::safe_replay takes an execution_record, not JSON text: "
                      "t.safe_replay(forge::decode_record(text))");
        return {};
    }

    // replay: as safe_replay, but returns the output JSON or rethrows the error.
    json replay(const execution_record& source, const replay_options& options = {}) const {
        auto r = safe_replay(source, options);
        if (r.error) std::rethrow_exception(r.error);
        return std::move(*r.output);
    }

    // as_boundary: this task as a boundary of another task, named boundary_name (default: this
    // task's name). Calling it through the outer run runs this task (its own record, uuid and
    // listeners); the outer entry records the inner input and output (or error and category), and
    // carries the inner record under the additive key "childRecord" (the call's entry is handed
    // to the inner run explicitly, not through thread-local state). A failing inner run rethrows
    // its original exception into the outer task. The boundary shares this task's state: it stays
    // valid when the task is moved or destroyed.
    auto as_boundary(std::string boundary_name) const {
        return boundary(std::move(boundary_name), composed{state_});
    }
    auto as_boundary() const { return as_boundary(name()); }

private:
    struct state {
        detail::task_config cfg;
        function_type fn;
    };

    // composed: the function of as_boundary's boundary; takes the outer call's entry first when
    // called through a run.
    struct composed {
        static constexpr bool forge_takes_call_slot = true;
        std::shared_ptr<const state> st;

        Out operator()(const In& in) const { return (*this)(nullptr, in); }
        Out operator()(detail::call_slot* slot, const In& in) const {
            auto r = safe_run_on(*st, in);
            detail::attach_child_record(slot, r.record);
            if (r.error) std::rethrow_exception(r.error);
            if constexpr (!std::is_void_v<Out>) return std::move(*r.output);
        }
    };

    static run_result<json> run_json_on(const state& st,
                                        const json& input,
                                        const execution_record* source,
                                        const replay_options* options) {
        detail::run_scope scope(st.cfg);
        run_result<json> result;
        scope.set_input(input);
        if (source != nullptr) scope.start_replay(*source);
        result.error = scope.validate();
        if (!result.error) {
            result.error =
                source != nullptr ? scope.prepare_replay(*source, *options) : scope.prepare();
            if (result.error) scope.fail_early(result.error);
        }
        if (result.error) {
            result.record = scope.finish();
            return result;
        }
        std::optional<In> in;
        try {
            in.emplace(forge::from_json<In>(input, json_path()));
        } catch (const decode_error& e) {
            result.error =
                std::make_exception_ptr(validation_error({validation_issue{e.path(), e.reason()}}));
        } catch (...) {
            result.error = std::current_exception();
        }
        if (result.error) {
            scope.fail_early(result.error);
            result.record = scope.finish();
            return result;
        }
        std::optional<run_output_t<Out>> out;
        json out_json;
        invoke(st, *in, scope, out, result.error, &out_json);
        if (!result.error) {
            if (auto unused = scope.unused_entries()) {
                result.error = unused;
                scope.fail(unused);
            } else {
                result.output = std::move(out_json);
            }
        }
        result.record = scope.finish();
        return result;
    }

    static run_result<Out> safe_run_on(const state& st, const In& in) {
        detail::run_scope scope(st.cfg);
        run_result<Out> result;
        try {
            scope.set_input(forge::to_json<In>(in));
        } catch (...) {
            result.error = std::current_exception();
            scope.fail_early(result.error);
            result.record = scope.finish();
            return result;
        }
        if (auto e = scope.validate()) {
            result.error = e;
            result.record = scope.finish();
            return result;
        }
        if (auto e = scope.prepare()) {
            result.error = e;
            scope.fail_early(e);
            result.record = scope.finish();
            return result;
        }
        invoke(st, in, scope, result.output, result.error, nullptr);
        result.record = scope.finish();
        return result;
    }

    template <class F>
    static function_type wrap(F fn) {
        if constexpr (detail::declaration_error<In>) {
            return {};
        } else if constexpr (std::is_invocable_v<F&, forge::run&>) {
            return [f = std::move(fn)](const In&, forge::run& r) mutable -> Out { return f(r); };
        } else {
            return function_type(std::move(fn));
        }
    }

    static void invoke(const state& st,
                       const In& in,
                       detail::run_scope& scope,
                       std::optional<run_output_t<Out>>& out,
                       std::exception_ptr& error,
                       json* out_json) {
        scope.begin_function();
        try {
            if constexpr (std::is_void_v<Out>) {
                st.fn(in, scope.context());
                scope.end_function();
                out.emplace();
                scope.succeed(std::nullopt);
                if (out_json) *out_json = json();
            } else {
                out.emplace(st.fn(in, scope.context()));
                scope.end_function();
                json encoded = forge::to_json<std::remove_cvref_t<Out>>(*out);
                if (out_json) *out_json = encoded;
                scope.succeed(std::move(encoded));
            }
        } catch (...) {
            out.reset();
            error = std::current_exception();
            scope.fail(error);
        }
    }

    std::shared_ptr<state> state_;
};

template <class F>
task(F) -> task<detail::unnamed_task, void>;
template <class F>
task(schema, F) -> task<detail::unnamed_task, void>;
template <class F>
task(boundary_list, F) -> task<detail::unnamed_task, void>;
template <class F>
task(schema, boundary_list, F) -> task<detail::unnamed_task, void>;
template <detail::task_name_arg N, class F>
task(N, F) -> task<detail::task_input_t<F>, detail::task_output_t<F>>;
template <detail::task_name_arg N, class F>
task(N, schema, F) -> task<detail::task_input_t<F>, detail::task_output_t<F>>;
template <detail::task_name_arg N, class F>
task(N, boundary_list, F) -> task<detail::task_input_t<F>, detail::task_output_t<F>>;
template <detail::task_name_arg N, class F>
task(N, schema, boundary_list, F) -> task<detail::task_input_t<F>, detail::task_output_t<F>>;
template <detail::task_name_arg N, class F>
task(N, F, boundary_list) -> task<detail::boundaries_after_function, void>;
template <detail::task_name_arg N, class F>
task(N, schema, F, boundary_list) -> task<detail::boundaries_after_function, void>;
template <detail::task_name_arg N, class B, class F>
task(N, boundary<B>, F) -> task<detail::bare_boundary, void>;
template <detail::task_name_arg N, class B, class F>
task(N, schema, boundary<B>, F) -> task<detail::bare_boundary, void>;

}  // namespace forge
