// forge::mock_boundary: boundary mocks for tests (expectations, matchers, actions, verification).
#pragma once

#include <forge/task/codec.hpp>
#include <forge/task/task.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace forge {

// mock_failure: what verify() throws when no reporter is installed: every failure of one mock
// (unexpected calls, unmet expectations), one per paragraph.
class mock_failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// mock_reporter: receives one failure message at a time (from verify(), on the verifying thread).
using mock_reporter = std::function<void(const std::string& message)>;

// set_mock_reporter: installs r as the process-wide reporter (empty: none, verify() throws
// mock_failure) and returns the previous one. Thread-safe; set it before creating mocks.
mock_reporter set_mock_reporter(mock_reporter r);

// mock_mode: what a mock does with a call no expectation accepts: strict fails the call (and
// reports it), nice lets the live function answer.
enum class mock_mode { strict, nice };

namespace mock {

// matcher
//
// A test on one encoded (JSON) argument with a description for failure messages. Copyable
// (shares its test). On a mismatch, matches() sets `why` to what differed.
class matcher {
public:
    using test_fn = std::function<bool(const json& value, std::string& why)>;

    matcher(std::string description, test_fn test);

    bool matches(const json& value, std::string& why) const;
    const std::string& description() const noexcept { return description_; }

private:
    std::string description_;
    std::shared_ptr<const test_fn> test_;
};

// any: matches every value.
matcher any();

// eq_json: matches a value canonically equal to expected (forge::canonical_equal).
matcher eq_json(json expected);

// eq: matches an argument equal to value once both are encoded (forge::to_json<T>).
template <class T>
matcher eq(const T& value) {
    return eq_json(forge::to_json<T>(value));
}
inline matcher eq(const char* value) { return eq_json(json(value)); }

// lt / le / gt / ge: a number less than, at most, greater than, at least bound.
matcher lt(double bound);
matcher le(double bound);
matcher gt(double bound);
matcher ge(double bound);

// pred_json: matches when fn(value) is true; description names it in messages.
matcher pred_json(std::function<bool(const json&)> fn, std::string description);

// pred<T>: decodes the argument with forge::from_json<T> and matches when fn(decoded) is true;
// an argument that does not decode does not match (the decode error is the `why`).
template <class T, class F>
matcher pred(F fn, std::string description = "pred") {
    return pred_json(
        [f = std::move(fn)](const json& v) -> bool { return f(forge::from_json<T>(v)); },
        std::move(description));
}

// field: an object whose member name matches m. at: the value at the dotted path (the
// forge::json_path grammar: `holdings.1.qty`; a numeric step indexes an array) matches m.
matcher field(std::string name, matcher m);
matcher at(std::string path, matcher m);

// all_of / any_of / not_: composition.
matcher all_of(std::vector<matcher> ms);
matcher any_of(std::vector<matcher> ms);
matcher not_(matcher m);

// calls: the inputs (argument arrays) of the calls of boundary `name` in record r, in order.
// called_times: how many there are. Both return empty/0 for a boundary the record lacks.
std::vector<json> calls(const execution_record& r, std::string_view name);
std::size_t called_times(const execution_record& r, std::string_view name);

}  // namespace mock

namespace detail {
struct mock_state;
struct mock_expectation;
struct mock_sequence_state;

// source_location stand-in: clang 14 with libstdc++ 12 has no std::source_location.
struct mock_location {
    const char* file = "";
    int line = 0;
};

// mock_handler: answers one call from its decoded arguments (invokes).
using mock_handler = std::function<substitute_answer(const json* args, std::size_t n)>;

// invoke_with: calls f with args decoded as its parameter types and encodes its result.
template <class R, class... A, class F, std::size_t... I>
substitute_answer invoke_with(F& f, const json* args, std::index_sequence<I...>) {
    substitute_answer a;
    if constexpr (std::is_void_v<R>) {
        f(forge::from_json<std::remove_cvref_t<A>>(args[I])...);
    } else {
        a.value = forge::to_json<std::remove_cvref_t<R>>(
            f(forge::from_json<std::remove_cvref_t<A>>(args[I])...));
    }
    return a;
}

template <class F, class R, class... A>
mock_handler make_handler(F f, R (*)(A...)) {
    return [f = std::move(f)](const json* args, std::size_t n) mutable -> substitute_answer {
        if (n != sizeof...(A)) {
            throw std::invalid_argument("forge::mock: invokes() function takes " +
                                        std::to_string(sizeof...(A)) + " arguments, the call has " +
                                        std::to_string(n));
        }
        return invoke_with<R, A...>(f, args, std::index_sequence_for<A...>{});
    };
}
}  // namespace detail

// mock_sequence
//
// An order across expectations (of one or several mocks): an expectation put in() a sequence
// accepts calls only once every earlier one in it has had its minimum number of calls, and a
// call it accepts retires the earlier ones. Copyable handle to shared state.
class mock_sequence {
public:
    mock_sequence();

private:
    friend class expectation;
    std::shared_ptr<detail::mock_sequence_state> state_;
};

class boundary_mock;

// expectation
//
// One expected kind of call, built fluently: expect(matchers...).times(2).returns(1.5).
// Cardinality defaults to exactly once (returns_in_sequence: once per value); the action
// defaults to returning null (fine for void boundaries). Setters return *this and must be called
// before the mocked task runs.
class expectation {
public:
    expectation& times(std::size_t n);
    expectation& at_least(std::size_t n);
    expectation& at_most(std::size_t n);
    expectation& never() { return times(0); }

    // returns: answers with value (encoded with forge::to_json<T>, decoded with the boundary's
    // result codec).
    template <class T>
    expectation& returns(const T& value) {
        return returns_json(forge::to_json<T>(value));
    }
    expectation& returns(const char* value) { return returns_json(json(value)); }
    expectation& returns_json(json value);

    // returns_in_sequence: answers with the values in turn; the expectation allows that many
    // calls unless times() says otherwise (the last value repeats).
    template <class T>
    expectation& returns_in_sequence(std::initializer_list<T> values) {
        std::vector<json> encoded;
        for (const T& v : values) encoded.push_back(forge::to_json<T>(v));
        return returns_sequence_json(std::move(encoded));
    }
    expectation& returns_sequence_json(std::vector<json> values);

    // throws: the call fails with e (as if the live function had thrown it).
    template <class E>
    expectation& throws(E e) {
        return throws_ptr(std::make_exception_ptr(std::move(e)));
    }
    expectation& throws_ptr(std::exception_ptr e);

    // invokes: the call is answered by fn, called with the arguments decoded as its parameter
    // types; its result is encoded with forge::to_json (a throw fails the call). fn is called
    // under the mocks' lock: it must not run a mocked task.
    template <class F>
    expectation& invokes(F fn) {
        using sig = typename detail::plain_signature<decltype(&F::operator())>::type;
        return invokes_raw(detail::make_handler(std::move(fn), static_cast<sig*>(nullptr)));
    }
    expectation& invokes_raw(detail::mock_handler h);

    // in: puts this expectation at the end of seq.
    expectation& in(const mock_sequence& seq);

private:
    friend class boundary_mock;
    explicit expectation(std::shared_ptr<detail::mock_expectation> e) : e_(std::move(e)) {}
    std::shared_ptr<detail::mock_expectation> e_;
};

// boundary_mock
//
// Mocks one boundary of one task while it lives: installs itself as the boundary's substitute
// (applies to every run of that task, on any thread; other tasks using the same boundary are not
// affected) and, when it goes away or on reset(), puts back the substitute that was there before
// and verifies. Every call is matched against the expectations in the order they were made: the
// first that matches the arguments, is not saturated and is ready in its sequences answers, and
// the record shows provenance "mock". A call none accepts fails in the run (a
// forge::mock_failure with the failure message, which verify() reports too) in strict mode, and
// goes live in nice mode.
//
// Verification: verify() collects the failures so far (unexpected calls, expectations without
// their minimum of calls) and, when a reporter is installed, gives each message to it; with no
// reporter it throws mock_failure with all of them. The destructor verifies too, unless the scope
// is unwinding from an exception (then failures are dropped). Destroy the mock only when no run
// is using it. Thread-safe: runs on many threads may call the mock at once (one mutex shared by
// all mocks); set expectations before running.
class boundary_mock {
public:
    boundary_mock(std::shared_ptr<std::atomic<const detail::boundary_substitute*>> slot,
                  std::string_view task_name,
                  std::string_view boundary_name,
                  mock_mode mode);
    boundary_mock(boundary_mock&&) noexcept;
    boundary_mock& operator=(boundary_mock&&) = delete;
    ~boundary_mock() noexcept(false);

    // expect: a new expectation on calls whose arguments match ms, one matcher per argument (a
    // call with another number of arguments does not match); with no matchers, any arguments.
    // file/line locate the expectation in messages.
    expectation expect(std::vector<mock::matcher> ms = {},
                       const char* file = __builtin_FILE(),
                       int line = __builtin_LINE());
    expectation expect(mock::matcher m,
                       const char* file = __builtin_FILE(),
                       int line = __builtin_LINE()) {
        return expect(std::vector<mock::matcher>{std::move(m)}, file, line);
    }

    // verify: reports (or throws, see above) every failure not reported yet.
    void verify();

    // reset: uninstalls now (restoring the previous substitute) and verifies; later calls go to
    // whatever is installed then. Idempotent.
    void reset();

    // calls / called_times: the arguments of every call this mock answered or refused.
    std::vector<json> calls() const;
    std::size_t called_times() const;

private:
    std::shared_ptr<detail::mock_state> state_;
    int uncaught_ = 0;
};

// mock_boundary: a boundary_mock of boundary b of task t (see boundary_mock). Throws
// std::invalid_argument when t does not own b.
template <class In, class Out, class F>
[[nodiscard]] boundary_mock mock_boundary(task<In, Out>& t,
                                          const boundary<F>& b,
                                          mock_mode mode = mock_mode::strict) {
    return boundary_mock(t.substitute_slot(b), t.name(), b.name(), mode);
}

// task_mocks
//
// Strict mode for a whole task: while it lives, every boundary of the task that has no mock of
// its own fails each call with forge::mock_failure naming the task and the boundary (recorded
// with provenance "mock"), instead of going live. Mocks made with mock_boundary inside its scope
// take precedence and give the blocker back when they go. At scope end (or verify()) the calls
// it refused are reported like any mock's failures. Create it before the boundary mocks, so
// scopes nest. Move-only.
class task_mocks {
public:
    task_mocks(std::vector<boundary_mock> blockers) noexcept : blockers_(std::move(blockers)) {}
    task_mocks(task_mocks&&) noexcept = default;
    task_mocks& operator=(task_mocks&&) = delete;
    ~task_mocks() noexcept(false);

    // verify: reports the calls refused so far (see boundary_mock::verify).
    void verify();

private:
    std::vector<boundary_mock> blockers_;
};

// strict_mocks: a task_mocks over every boundary of t.
template <class In, class Out>
[[nodiscard]] task_mocks strict_mocks(task<In, Out>& t) {
    std::vector<boundary_mock> blockers;
    blockers.reserve(t.boundary_names().size());
    for (std::size_t i = 0; i < t.boundary_names().size(); ++i) {
        blockers.emplace_back(t.substitute_slot_at(i), t.name(), t.boundary_names()[i],
                              mock_mode::strict);
    }
    return task_mocks(std::move(blockers));
}

}  // namespace forge
