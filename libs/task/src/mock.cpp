#include <forge/task/mock.hpp>
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>

namespace forge {

namespace {

constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();
constexpr std::size_t history_size = 32;

// mocks_mutex: the one lock of every mock's state and every sequence (so a call that crosses
// mocks through a sequence takes one lock).
std::mutex& mocks_mutex() {
    static std::mutex m;
    return m;
}

std::mutex& reporter_mutex() {
    static std::mutex m;
    return m;
}

mock_reporter& reporter_slot() {
    static mock_reporter r;
    return r;
}

std::string text(const json& v) { return to_json_text(v); }

std::string quoted(std::string_view s) {
    std::string out;
    write_json_string(out, s);
    return out;
}

const char* base_name(const char* path) {
    const char* base = path;
    for (const char* p = path; *p != '\0'; ++p) {
        if (*p == '/' || *p == '\\') base = p + 1;
    }
    return base;
}

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

mock::matcher compare(const char* op, double bound, bool (*test)(double, double)) {
    std::string desc = std::string(op) + "(" + format_js_number(bound) + ")";
    return mock::matcher(desc, [desc, bound, test](const json& v, std::string& why) {
        if (!v.is_number()) {
            why = "expected a number " + desc + ", got " + text(v);
            return false;
        }
        if (test(v.as_double(), bound)) return true;
        why = "expected " + desc + ", got " + text(v);
        return false;
    });
}

}  // namespace

mock_reporter set_mock_reporter(mock_reporter r) {
    std::lock_guard guard(reporter_mutex());
    mock_reporter previous = std::move(reporter_slot());
    reporter_slot() = std::move(r);
    return previous;
}

namespace mock {

matcher::matcher(std::string description, test_fn test)
    : description_(std::move(description)),
      test_(std::make_shared<const test_fn>(std::move(test))) {}

bool matcher::matches(const json& value, std::string& why) const { return (*test_)(value, why); }

matcher any() {
    return matcher("any()", [](const json&, std::string&) { return true; });
}

matcher eq_json(json expected) {
    std::string desc = "eq(" + text(expected) + ")";
    return matcher(desc, [desc, e = std::move(expected)](const json& v, std::string& why) {
        if (canonical_equal(v, e)) return true;
        why = "expected " + desc + ", got " + text(v);
        return false;
    });
}

matcher lt(double bound) {
    return compare("lt", bound, [](double v, double b) { return v < b; });
}
matcher le(double bound) {
    return compare("le", bound, [](double v, double b) { return v <= b; });
}
matcher gt(double bound) {
    return compare("gt", bound, [](double v, double b) { return v > b; });
}
matcher ge(double bound) {
    return compare("ge", bound, [](double v, double b) { return v >= b; });
}

matcher pred_json(std::function<bool(const json&)> fn, std::string description) {
    std::string desc = std::move(description);
    return matcher(desc, [desc, f = std::move(fn)](const json& v, std::string& why) {
        try {
            if (f(v)) return true;
            why = "expected " + desc + " to hold, got " + text(v);
        } catch (const std::exception& e) {
            why = "expected " + desc + ", got " + text(v) + " (" + e.what() + ")";
        }
        return false;
    });
}

matcher field(std::string name, matcher m) {
    std::string desc = "field(" + quoted(name) + ", " + m.description() + ")";
    return matcher(desc, [name, m](const json& v, std::string& why) {
        const json* member = v.find(name);
        if (member == nullptr) {
            why = "expected a field " + quoted(name) + ", got " + text(v);
            return false;
        }
        if (m.matches(*member, why)) return true;
        why = "field " + quoted(name) + ": " + why;
        return false;
    });
}

matcher at(std::string path, matcher m) {
    std::string desc = "at(" + quoted(path) + ", " + m.description() + ")";
    return matcher(desc, [path, m](const json& v, std::string& why) {
        const json* cur = &v;
        std::size_t start = 0;
        while (cur != nullptr && start <= path.size() && !path.empty()) {
            const std::size_t dot = path.find('.', start);
            const std::string_view step =
                std::string_view(path).substr(start, dot == std::string::npos ? dot : dot - start);
            if (cur->is_array()) {
                std::size_t index = 0;
                bool numeric = !step.empty();
                for (char c : step) {
                    if (c < '0' || c > '9') numeric = false;
                    index = index * 10 + static_cast<std::size_t>(c - '0');
                }
                cur = numeric && index < cur->size() ? &cur->as_array()[index] : nullptr;
            } else {
                cur = cur->find(step);
            }
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        if (cur == nullptr) {
            why = "expected a value at " + quoted(path) + ", got " + text(v);
            return false;
        }
        if (m.matches(*cur, why)) return true;
        why = "at " + quoted(path) + ": " + why;
        return false;
    });
}

namespace {
std::string joined(const std::vector<matcher>& ms) {
    std::string out;
    for (const auto& m : ms) {
        if (!out.empty()) out += ", ";
        out += m.description();
    }
    return out;
}
}  // namespace

matcher all_of(std::vector<matcher> ms) {
    std::string desc = "all_of(" + joined(ms) + ")";
    return matcher(desc, [ms](const json& v, std::string& why) {
        for (const auto& m : ms) {
            if (!m.matches(v, why)) return false;
        }
        return true;
    });
}

matcher any_of(std::vector<matcher> ms) {
    std::string desc = "any_of(" + joined(ms) + ")";
    return matcher(desc, [desc, ms](const json& v, std::string& why) {
        std::string ignored;
        for (const auto& m : ms) {
            if (m.matches(v, ignored)) return true;
        }
        why = "expected " + desc + ", got " + text(v);
        return false;
    });
}

matcher not_(matcher m) {
    std::string desc = "not_(" + m.description() + ")";
    return matcher(desc, [desc, m](const json& v, std::string& why) {
        std::string ignored;
        if (!m.matches(v, ignored)) return true;
        why = "expected " + desc + ", got " + text(v);
        return false;
    });
}

std::vector<json> calls(const execution_record& r, std::string_view name) {
    std::vector<json> out;
    for (const auto& [n, entries] : r.boundaries) {
        if (n != name) continue;
        for (const auto& e : entries) out.push_back(e.input);
    }
    return out;
}

std::size_t called_times(const execution_record& r, std::string_view name) {
    for (const auto& [n, entries] : r.boundaries) {
        if (n == name) return entries.size();
    }
    return 0;
}

}  // namespace mock

namespace detail {

struct mock_sequence_state {
    std::vector<std::weak_ptr<mock_expectation>> order;
    std::size_t cursor = 0;
};

struct mock_expectation {
    enum class action { null_value, value, sequence, error, handler };

    std::vector<mock::matcher> args;
    bool any_args = true;
    std::size_t min = 1, max = 1;
    bool times_set = false;
    action act = action::null_value;
    json value;
    std::vector<json> values;
    std::exception_ptr error;
    mock_handler handler;
    std::vector<std::pair<std::shared_ptr<mock_sequence_state>, std::size_t>> sequences;
    std::size_t calls = 0;
    bool reported_unmet = false;
    mock_location where;
    std::size_t number = 0;

    std::string cardinality() const {
        if (min == max) return "times(" + std::to_string(min) + ")";
        if (max == unlimited) return "at_least(" + std::to_string(min) + ")";
        if (min == 0) return "at_most(" + std::to_string(max) + ")";
        return "between(" + std::to_string(min) + ", " + std::to_string(max) + ")";
    }

    std::string describe() const {
        return "expectation " + std::to_string(number) + " (" + base_name(where.file) + ":" +
               std::to_string(where.line) + "): expect(" +
               (any_args ? std::string() : mock::joined(args)) + ")." + cardinality() +
               ", called " + plural(calls, "time");
    }

    // mismatch: what keeps this expectation from accepting args (appended to why), or false.
    bool accepts(const json* a, std::size_t n, std::string& why) const {
        if (!any_args) {
            if (n != args.size()) {
                why += "    expected " + plural(args.size(), "argument") + ", got " +
                       std::to_string(n) + "\n";
                return false;
            }
            bool ok = true;
            for (std::size_t i = 0; i < n; ++i) {
                std::string w;
                if (!args[i].matches(a[i], w)) {
                    why += "    argument " + std::to_string(i) + ": " + w + "\n";
                    ok = false;
                }
            }
            if (!ok) return false;
        }
        if (calls >= max) {
            why += "    saturated: already called " + plural(calls, "time") + " (" + cardinality() +
                   ")\n";
            return false;
        }
        for (const auto& [seq, pos] : sequences) {
            if (pos < seq->cursor) {
                why += "    retired: a later expectation of its sequence was called\n";
                return false;
            }
            for (std::size_t i = seq->cursor; i < pos; ++i) {
                auto earlier = seq->order[i].lock();
                if (earlier && earlier->calls < earlier->min) {
                    why += "    out of sequence: waits for " + earlier->describe() + "\n";
                    return false;
                }
            }
        }
        return true;
    }
};

struct mock_state final : boundary_substitute {
    std::shared_ptr<std::atomic<const boundary_substitute*>> slot;
    const boundary_substitute* previous = nullptr;
    bool installed = false;
    std::string task_name, boundary_name;
    mock_mode mode = mock_mode::strict;
    std::vector<std::shared_ptr<mock_expectation>> expectations;
    std::array<json, history_size> history;
    std::size_t n_calls = 0;
    std::vector<std::string> failures;

    std::string header(const char* what) const {
        return std::string("forge::mock: ") + what + " of boundary " + quoted(boundary_name) +
               " in task " + quoted(task_name) + "\n";
    }

    std::string calls_so_far() const {
        std::string out = "  calls so far (" + std::to_string(n_calls);
        const std::size_t first = n_calls > history_size ? n_calls - history_size : 0;
        if (first > 0) out += ", the last " + std::to_string(history_size) + " shown";
        out += "):";
        if (n_calls == 0) out += " none";
        out += "\n";
        for (std::size_t i = first; i < n_calls; ++i) {
            out += "    " + text(history[i % history_size]) + "\n";
        }
        return out;
    }

    void remember(const json* args, std::size_t n) {
        json& h = history[n_calls % history_size];
        if (!h.is_array()) h = json::array();
        json_array& a = h.as_array();
        a.resize(n);
        for (std::size_t i = 0; i < n; ++i) a[i] = args[i];
        ++n_calls;
    }

    std::optional<substitute_answer> answer(const call_info& info) const override {
        return const_cast<mock_state*>(this)->answer_call(info);
    }

    std::optional<substitute_answer> answer_call(const call_info& info) {
        std::lock_guard guard(mocks_mutex());
        remember(info.args, info.n_args);
        std::string why;
        for (const auto& e : expectations) {
            const std::size_t mark = why.size();
            if (!e->accepts(info.args, info.n_args, why)) {
                why.insert(mark, "  tried " + e->describe() + ":\n");
                continue;
            }
            return take(*e, info);
        }
        if (mode == mock_mode::nice) return std::nullopt;
        std::string message = header("unexpected call");
        message += "  arguments: " + text(history[(n_calls - 1) % history_size]) + "\n";
        if (expectations.empty()) {
            message += "  no expectations (strict mode: the live function is not called)\n";
        }
        message += why;
        message += calls_so_far();
        message.pop_back();
        failures.push_back(message);
        substitute_answer a;
        a.error = std::make_exception_ptr(mock_failure(message));
        return a;
    }

    static substitute_answer take(mock_expectation& e, const call_info& info) {
        const std::size_t k = e.calls++;
        for (const auto& [seq, pos] : e.sequences) seq->cursor = pos;
        substitute_answer a;
        switch (e.act) {
            case mock_expectation::action::null_value:
                a.value = json();
                break;
            case mock_expectation::action::value:
                a.value = e.value;
                break;
            case mock_expectation::action::sequence:
                a.value = e.values[k < e.values.size() ? k : e.values.size() - 1];
                break;
            case mock_expectation::action::error:
                a.error = e.error;
                break;
            case mock_expectation::action::handler:
                try {
                    a = e.handler(info.args, info.n_args);
                } catch (...) {
                    a.error = std::current_exception();
                }
                a.source = provenance::mock;
                break;
        }
        return a;
    }

    // collect: the failures not reported yet (under the lock).
    std::vector<std::string> collect() {
        std::lock_guard guard(mocks_mutex());
        std::vector<std::string> out = std::move(failures);
        failures.clear();
        for (const auto& e : expectations) {
            if (e->calls >= e->min || e->reported_unmet) continue;
            e->reported_unmet = true;
            std::string message = header("unmet expectation");
            message += "  " + e->describe() + "\n" + calls_so_far();
            message.pop_back();
            out.push_back(std::move(message));
        }
        return out;
    }

    void uninstall() {
        if (!installed) return;
        installed = false;
        slot->store(previous, std::memory_order_release);
    }
};

}  // namespace detail

mock_sequence::mock_sequence() : state_(std::make_shared<detail::mock_sequence_state>()) {}

expectation& expectation::times(std::size_t n) {
    std::lock_guard guard(mocks_mutex());
    e_->min = e_->max = n;
    e_->times_set = true;
    return *this;
}

expectation& expectation::at_least(std::size_t n) {
    std::lock_guard guard(mocks_mutex());
    e_->min = n;
    e_->max = unlimited;
    e_->times_set = true;
    return *this;
}

expectation& expectation::at_most(std::size_t n) {
    std::lock_guard guard(mocks_mutex());
    e_->min = 0;
    e_->max = n;
    e_->times_set = true;
    return *this;
}

expectation& expectation::returns_json(json value) {
    std::lock_guard guard(mocks_mutex());
    e_->act = detail::mock_expectation::action::value;
    e_->value = std::move(value);
    return *this;
}

expectation& expectation::returns_sequence_json(std::vector<json> values) {
    if (values.empty()) {
        throw std::invalid_argument("forge::mock: returns_in_sequence needs at least one value");
    }
    std::lock_guard guard(mocks_mutex());
    if (!e_->times_set) e_->min = e_->max = values.size();
    e_->act = detail::mock_expectation::action::sequence;
    e_->values = std::move(values);
    return *this;
}

expectation& expectation::throws_ptr(std::exception_ptr e) {
    std::lock_guard guard(mocks_mutex());
    e_->act = detail::mock_expectation::action::error;
    e_->error = std::move(e);
    return *this;
}

expectation& expectation::invokes_raw(detail::mock_handler h) {
    std::lock_guard guard(mocks_mutex());
    e_->act = detail::mock_expectation::action::handler;
    e_->handler = std::move(h);
    return *this;
}

expectation& expectation::in(const mock_sequence& seq) {
    std::lock_guard guard(mocks_mutex());
    auto& order = seq.state_->order;
    e_->sequences.emplace_back(seq.state_, order.size());
    order.push_back(e_);
    return *this;
}

boundary_mock::boundary_mock(std::shared_ptr<std::atomic<const detail::boundary_substitute*>> slot,
                             std::string_view task_name,
                             std::string_view boundary_name,
                             mock_mode mode)
    : state_(std::make_shared<detail::mock_state>()), uncaught_(std::uncaught_exceptions()) {
    state_->slot = std::move(slot);
    state_->task_name = std::string(task_name);
    state_->boundary_name = std::string(boundary_name);
    state_->mode = mode;
    state_->previous = state_->slot->exchange(state_.get(), std::memory_order_acq_rel);
    state_->installed = true;
}

boundary_mock::boundary_mock(boundary_mock&& other) noexcept
    : state_(std::move(other.state_)), uncaught_(other.uncaught_) {}

boundary_mock::~boundary_mock() noexcept(false) {
    if (!state_) return;
    state_->uninstall();
    if (std::uncaught_exceptions() > uncaught_) return;
    verify();
}

expectation boundary_mock::expect(std::vector<mock::matcher> ms, const char* file, int line) {
    auto e = std::make_shared<detail::mock_expectation>();
    e->any_args = ms.empty();
    e->args = std::move(ms);
    e->where = {file, line};
    std::lock_guard guard(mocks_mutex());
    e->number = state_->expectations.size() + 1;
    state_->expectations.push_back(e);
    return expectation(std::move(e));
}

void boundary_mock::verify() {
    std::vector<std::string> failures = state_->collect();
    if (failures.empty()) return;
    mock_reporter reporter;
    {
        std::lock_guard guard(reporter_mutex());
        reporter = reporter_slot();
    }
    if (reporter) {
        for (const auto& f : failures) reporter(f);
        return;
    }
    std::string all;
    for (const auto& f : failures) {
        if (!all.empty()) all += "\n";
        all += f;
    }
    throw mock_failure(all);
}

void boundary_mock::reset() {
    if (!state_) return;
    state_->uninstall();
    verify();
}

std::vector<json> boundary_mock::calls() const {
    std::lock_guard guard(mocks_mutex());
    std::vector<json> out;
    const std::size_t n = state_->n_calls;
    for (std::size_t i = n > history_size ? n - history_size : 0; i < n; ++i) {
        out.push_back(state_->history[i % history_size]);
    }
    return out;
}

std::size_t boundary_mock::called_times() const {
    std::lock_guard guard(mocks_mutex());
    return state_->n_calls;
}

task_mocks::~task_mocks() noexcept(false) {
    // Uninstall in reverse order of installation, then let each blocker verify (its destructor
    // skips verification while an exception is unwinding).
    while (!blockers_.empty()) {
        boundary_mock last = std::move(blockers_.back());
        blockers_.pop_back();
    }
}

void task_mocks::verify() {
    for (auto& b : blockers_) b.verify();
}

}  // namespace forge
