#include "tape_plan.hpp"

#include "divergence_suggestions.hpp"
#include "ignore_paths.hpp"
#include "json_difference.hpp"

#include <forge/task/record_tape.hpp>
#include <forge/types/error_category.hpp>
#include <forge/types/huge_pages.hpp>
#include <forge/types/json_text.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace forge::detail {

namespace {

// Entries a miss scans for its nearest candidates (the miss path only; lookups never scan).
constexpr std::size_t candidate_scan_limit = 1000;

json args_array(const call_info& info) {
    json_array a;
    a.reserve(info.n_args);
    for (std::size_t i = 0; i < info.n_args; ++i) a.push_back(info.args[i]);
    return json(std::move(a));
}

std::uint64_t hash_of(const json* args, std::size_t n, const json* key) {
    return key != nullptr ? canonical_hash(*key) : canonical_hash_elements(args, n);
}

// window: an entry's time window in ns (offsetNs/durationNs when present, else the ms times).
std::pair<std::int64_t, std::int64_t> window(const boundary_record& e) {
    if (!e.timing) return {0, 0};
    const timing_info& t = *e.timing;
    if (t.offset_ns && t.duration_ns) return {*t.offset_ns, *t.offset_ns + *t.duration_ns};
    return {t.start_time * 1'000'000, t.end_time * 1'000'000};
}

void build_overlaps(boundary_plan& bp) {
    const auto& entries = *bp.entries;
    const std::size_t n = entries.size();
    bp.overlap_first.resize(n);
    bp.overlap_last.resize(n);
    const auto close = [&](std::size_t first, std::size_t last) {
        for (std::size_t j = first; j <= last; ++j) {
            bp.overlap_first[j] = static_cast<std::uint32_t>(first);
            bp.overlap_last[j] = static_cast<std::uint32_t>(last);
        }
    };
    std::size_t first = 0;
    std::int64_t group_end = 0;
    for (std::size_t e = 0; e < n; ++e) {
        const auto [begin, end] = window(entries[e]);
        if (e > 0 && begin < group_end) {
            group_end = std::max(group_end, end);
            continue;
        }
        if (e > 0) close(first, e - 1);
        first = e;
        group_end = end;
    }
    if (n > 0) close(first, n - 1);
}

const json& key_of(const boundary_plan& bp, std::size_t e) {
    return bp.keys.empty() ? (*bp.entries)[e].input : bp.keys[e];
}

void build_index(boundary_plan& bp) {
    const auto& entries = *bp.entries;
    const std::size_t n = entries.size();
    bp.eligible.assign(n, 0);
    for (std::size_t e = 0; e < n; ++e) {
        bp.eligible[e] = bp.mode == forge::mode::replay || !entries[e].is_error();
    }
    if (!bp.ignore_paths.empty()) {
        bp.keys.reserve(n);
        for (const auto& e : entries) bp.keys.push_back(without_ignored(e.input, bp.ignore_paths));
    }
    if (bp.policy == tape_policy::journal) build_overlaps(bp);
    if (bp.matcher) return;
    std::size_t capacity = 16;
    while (capacity < 2 * n) capacity *= 2;
    bp.slots.assign(capacity, index_slot{});
    const std::size_t mask = capacity - 1;
    for (std::size_t e = 0; e < n; ++e) {
        if (!bp.eligible[e]) continue;
        const json& key = key_of(bp, e);
        const std::uint64_t h = canonical_hash(key);
        std::size_t s = static_cast<std::size_t>(h) & mask;
        while (true) {
            index_slot& slot = bp.slots[s];
            if (slot.group_plus_one == 0) {
                slot.hash = h;
                slot.group_plus_one = static_cast<std::uint32_t>(bp.groups.size() + 1);
                slot.first = static_cast<std::uint32_t>(e);
                if (bp.keys.empty() && key.is_array() && key.as_array().size() == 1) {
                    slot.key = to_inline(key.as_array()[0]);
                }
                const boundary_record& entry = entries[e];
                if (!entry.is_error() && entry.output) slot.output = to_inline(*entry.output);
                bp.groups.push_back({static_cast<std::uint32_t>(e)});
                break;
            }
            if (slot.hash == h && canonical_equal(key_of(bp, slot.first), key)) {
                bp.groups[slot.group_plus_one - 1].push_back(static_cast<std::uint32_t>(e));
                break;
            }
            s = (s + 1) & mask;
        }
    }
    advise_huge_pages(bp.slots.data(), capacity * sizeof(index_slot));
}

// answer_of: the answer an entry gives: its recorded error, or its output, borrowed from the
// tape (which outlives the run).
substitute_answer answer_of(const boundary_record& entry, provenance source) {
    substitute_answer a;
    a.source = source;
    if (entry.is_error()) {
        const error_category category =
            entry.error_category.value_or(classify_error_message(*entry.error));
        a.error = std::make_exception_ptr(categorized_error(category, *entry.error));
    } else if (entry.output) {
        a.borrowed = &*entry.output;
    }
    return a;
}

// describe_miss: fills d (all but the tape origin) for a call the tape could not answer: the
// code (refined for journal: a match elsewhere or already used), the actual arguments, the three
// nearest of the first candidate_scan_limit entries with their differences, and the suggestions.
// key is the call's normalized arguments when ignore paths or a matcher apply.
void describe_miss(divergence_details& d,
                   const boundary_plan& bp,
                   const call_info& info,
                   const tape_run_state::per_boundary& pb,
                   const std::optional<json>& key,
                   divergence_code failure,
                   std::uint32_t k) {
    const std::size_t n_entries = bp.entries ? bp.entries->size() : 0;
    d.task = std::string(info.task_name);
    d.boundary = std::string(info.boundary_name);
    d.mode = bp.declared;
    d.policy = bp.policy;
    d.code = failure;
    d.call_index = k;
    d.actual = args_array(info);
    d.recorded_entries = n_entries;
    std::vector<std::pair<std::size_t, std::uint32_t>> ranked;
    bool matched_elsewhere = false;
    bool matched_used = false;
    for (std::uint32_t e = 0; e < n_entries && e < candidate_scan_limit; ++e) {
        const json& recorded = key_of(bp, e);
        const json& actual = key ? *key : d.actual;
        const std::size_t diff = json_differences(recorded, actual, nullptr, 0, 64);
        const bool equal = bp.matcher ? !bp.matcher(*key, recorded).has_value() : diff == 0;
        if (equal && bp.eligible[e]) {
            if (!pb.used.empty() && pb.used[e]) {
                matched_used = true;
            } else {
                matched_elsewhere = true;
            }
        }
        ranked.emplace_back(diff, e);
    }
    if (d.code == divergence_code::no_match && bp.policy == tape_policy::journal) {
        if (matched_elsewhere) {
            d.code = divergence_code::out_of_order;
        } else if (matched_used) {
            d.code = divergence_code::already_used;
        }
    }
    std::stable_sort(ranked.begin(), ranked.end());
    std::vector<std::string> first_differences;
    for (std::size_t r = 0; r < ranked.size() && r < 3; ++r) {
        const std::uint32_t e = ranked[r].second;
        divergence_candidate c;
        c.index = e;
        c.input = (*bp.entries)[e].input;
        c.used = !pb.used.empty() && pb.used[e];
        json_differences(key_of(bp, e), key ? *key : d.actual, &c.differences, 5, 64);
        if (bp.matcher) {
            if (auto reason = bp.matcher(*key, key_of(bp, e))) c.differences.push_back(*reason);
        }
        if (r == 0) first_differences = c.differences;
        d.candidates.push_back(std::move(c));
    }
    add_suggestions(d, first_differences);
}

}  // namespace

const index_slot* boundary_plan::find(const json* args,
                                      std::size_t n,
                                      const json* normalized_key) const {
    if (slots.empty()) return nullptr;
    const std::uint64_t h = hash_of(args, n, normalized_key);
    const std::size_t mask = slots.size() - 1;
    std::size_t s = static_cast<std::size_t>(h) & mask;
    while (slots[s].group_plus_one != 0) {
        const index_slot& slot = slots[s];
        if (slot.hash == h) {
            bool equal = false;
            if (normalized_key != nullptr) {
                equal = canonical_equal(*normalized_key, key_of(*this, slot.first));
            } else if (slot.key.k != inline_scalar::kind::none) {
                equal = n == 1 && inline_equal(slot.key, args[0]);
            } else {
                equal = canonical_equal_elements(args, n, key_of(*this, slot.first));
            }
            if (equal) return &slot;
        }
        s = (s + 1) & mask;
    }
    return nullptr;
}

void tape_run_state::reset(const tape_plan& plan) {
    boundaries.resize(plan.boundaries.size());
    for (std::size_t i = 0; i < plan.boundaries.size(); ++i) {
        const boundary_plan& bp = plan.boundaries[i];
        per_boundary& pb = boundaries[i];
        pb.calls = 0;
        pb.cursor.clear();
        const std::size_t n = bp.tracks_use && bp.entries ? bp.entries->size() : 0;
        pb.used.assign(n, 0);
    }
}

std::optional<std::uint32_t> tape_plan::pick(const call_info& info,
                                             tape_run_state& state,
                                             std::optional<divergence_details>* miss,
                                             const index_slot** hit,
                                             std::optional<std::uint32_t> position) const {
    if (hit != nullptr) *hit = nullptr;
    const boundary_plan& bp = boundaries[info.boundary_index];
    const std::size_t n_entries = bp.entries ? bp.entries->size() : 0;
    std::optional<json> key;
    if (!bp.ignore_paths.empty() || bp.matcher)
        key = without_ignored(args_array(info), bp.ignore_paths);
    const json* keyp = key ? &*key : nullptr;
    const auto matches = [&](std::size_t e) {
        if (bp.matcher) return !bp.matcher(*key, key_of(bp, e)).has_value();
        return keyp != nullptr ? canonical_equal(*keyp, key_of(bp, e))
                               : canonical_equal_elements(info.args, info.n_args, key_of(bp, e));
    };

    std::unique_lock lock(state.mutex, std::defer_lock);
    const bool stateless = bp.policy == tape_policy::cache && !bp.tracks_use;
    if (!stateless) lock.lock();
    tape_run_state::per_boundary& pb = state.boundaries[info.boundary_index];
    const std::uint32_t k = position ? *position : stateless ? 0 : pb.calls++;
    std::optional<std::uint32_t> found;
    divergence_code failure = divergence_code::no_match;

    if (n_entries == 0) {
        failure = divergence_code::no_boundary;
    } else if (bp.policy == tape_policy::journal) {
        if (k >= n_entries) {
            failure = divergence_code::beyond_recorded;
        } else {
            for (std::uint32_t j = bp.overlap_first[k]; j <= bp.overlap_last[k]; ++j) {
                if (!pb.used[j] && bp.eligible[j] && matches(j)) {
                    found = j;
                    break;
                }
            }
        }
    } else if (bp.matcher) {
        std::optional<std::uint32_t> last;
        for (std::uint32_t e = 0; e < n_entries; ++e) {
            if (!bp.eligible[e] || !matches(e)) continue;
            if (bp.policy == tape_policy::cache || !pb.used[e]) {
                found = e;
                break;
            }
            last = e;
        }
        if (!found && last) {
            if (bp.repeats == forge::repeats::strict) {
                failure = divergence_code::already_used;
            } else {
                found = last;
            }
        }
    } else {
        if (const index_slot* slot = bp.find(info.args, info.n_args, keyp)) {
            if (bp.policy == tape_policy::cache) {
                found = slot->first;
                if (hit != nullptr) *hit = slot;
            } else {
                const std::uint32_t g = slot->group_plus_one - 1;
                const auto& group = bp.groups[g];
                const std::uint32_t c = pb.cursor[g]++;
                if (c < group.size()) {
                    found = group[c];
                } else if (bp.repeats == forge::repeats::strict) {
                    failure = divergence_code::already_used;
                } else {
                    found = group.back();
                }
            }
        }
    }
    if (found) {
        if (!pb.used.empty()) pb.used[*found] = 1;
        return found;
    }
    if (miss == nullptr) return std::nullopt;

    divergence_details& d = miss->emplace();
    d.tape = origin;
    describe_miss(d, bp, info, pb, key, failure, k);
    return std::nullopt;
}

std::optional<substitute_answer> tape_plan::before_live(
    const call_info& info, tape_run_state& state, std::optional<std::uint32_t>& position) const {
    const boundary_plan& bp = boundaries[info.boundary_index];
    if (bp.mode == forge::mode::proxy_catch && bp.policy == tape_policy::journal) {
        std::lock_guard guard(state.mutex);
        position = state.boundaries[info.boundary_index].calls++;
        return std::nullopt;
    }
    const index_slot* hit = nullptr;
    if (bp.mode == forge::mode::replay) {
        std::optional<divergence_details> d;
        if (auto e = pick(info, state, &d, &hit)) return answer(bp, *e, hit, provenance::tape);
        substitute_answer a;
        a.source = provenance::tape;
        a.error = std::make_exception_ptr(replay_divergence(std::move(*d)));
        return a;
    }
    if (bp.mode == forge::mode::proxy_pass) {
        if (auto e = pick(info, state, nullptr, &hit)) {
            return answer(bp, *e, hit, provenance::tape);
        }
    }
    return std::nullopt;
}

std::optional<substitute_answer> tape_plan::after_live_error(
    const call_info& info, tape_run_state& state, std::optional<std::uint32_t> position) const {
    const boundary_plan& bp = boundaries[info.boundary_index];
    if (bp.mode != forge::mode::proxy_catch) return std::nullopt;
    const index_slot* hit = nullptr;
    if (auto e = pick(info, state, nullptr, &hit, position)) {
        return answer(bp, *e, hit, provenance::tape_fallback);
    }
    return std::nullopt;
}

substitute_answer tape_plan::answer(const boundary_plan& bp,
                                    std::uint32_t e,
                                    const index_slot* hit,
                                    provenance source) const {
    if (hit != nullptr && hit->first == e && hit->output.k != inline_scalar::kind::none) {
        substitute_answer a;
        a.source = source;
        a.value = from_inline(hit->output);
        return a;
    }
    return answer_of((*bp.entries)[e], source);
}

std::exception_ptr tape_plan::unused_entries(const task_config& cfg,
                                             const tape_run_state& state) const {
    if (!strict) return nullptr;
    divergence_details d;
    d.code = divergence_code::unused_entries;
    d.task = cfg.name;
    d.tape = origin;
    for (std::size_t i = 0; i < boundaries.size(); ++i) {
        const boundary_plan& bp = boundaries[i];
        if (!uses_tape(bp.mode) || !bp.entries) continue;
        const auto& used = state.boundaries[i].used;
        for (std::size_t e = 0; e < used.size(); ++e) {
            if (used[e]) continue;
            if (d.boundary.empty()) {
                d.boundary = cfg.boundary_names[i];
                d.mode = bp.declared;
                d.policy = bp.policy;
            }
            d.unused.push_back(cfg.boundary_names[i] + " #" + std::to_string(e) + " " +
                               to_json_text((*bp.entries)[e].input));
            ++d.recorded_entries;
        }
    }
    if (d.unused.empty()) return nullptr;
    add_suggestions(d, {});
    return std::make_exception_ptr(replay_divergence(std::move(d)));
}

void check_tape_mode(const task_config& cfg, std::size_t i, forge::mode m, std::string_view how) {
    if (!uses_tape(m) || cfg.tape_answerable[i]) return;
    throw std::invalid_argument(
        "forge::task \"" + cfg.name + "\": boundary \"" + cfg.boundary_names[i] + "\" returns " +
        cfg.result_types[i] + ", which has no forge::codec from_json, so " + std::string(how) +
        " (mode " + std::string(to_string(m)) +
        ") cannot answer it from a tape: give the codec a from_json, or keep the boundary in "
        "proxy or passthrough mode");
}

namespace {

boundary_plan plan_boundary(const boundary_tape_settings* own,
                            forge::mode m,
                            tape_policy policy,
                            forge::repeats rep,
                            const boundary_calls* entries,
                            bool strict) {
    boundary_plan bp;
    bp.declared = m;
    bp.mode = m;
    if (m == forge::mode::record_once) {
        bp.mode =
            entries != nullptr && !entries->empty() ? forge::mode::replay : forge::mode::proxy;
    }
    bp.policy = policy;
    bp.repeats = rep;
    if (!uses_tape(bp.mode)) return bp;
    static const boundary_calls no_entries;
    bp.entries = entries != nullptr ? entries : &no_entries;
    if (own != nullptr) {
        bp.ignore_paths = own->ignore_paths;
        bp.matcher = own->matcher;
    }
    bp.tracks_use = policy == tape_policy::journal || bp.matcher || strict;
    build_index(bp);
    return bp;
}

}  // namespace

std::shared_ptr<const tape_plan> build_task_plan(const task_config& cfg) {
    const tape_settings& s = cfg.tapes;
    const forge::mode task_mode = s.effective_task_mode();
    const bool env_governs = s.follow_environment && s.env_mode.has_value();
    const std::size_t n = cfg.boundary_names.size();
    bool any = false;
    bool any_tape = false;
    std::vector<forge::mode> modes(n);
    for (std::size_t i = 0; i < n; ++i) {
        const boundary_tape_settings* own = i < s.boundaries.size() ? &s.boundaries[i] : nullptr;
        modes[i] = own != nullptr && own->mode ? *own->mode : task_mode;
        const bool from_env = env_governs && !(own != nullptr && own->mode);
        check_tape_mode(cfg, i, modes[i], from_env ? "FORGE_MODE" : "set_mode");
        any = any || modes[i] != forge::mode::proxy;
        any_tape = any_tape || uses_tape(modes[i]);
    }
    if (!any) return nullptr;
    auto plan = std::make_shared<tape_plan>();
    plan->owned_tape = s.tape;
    plan->origin = "the tape given in code";
    if (!plan->owned_tape && any_tape) {
        if (env_governs && uses_tape(task_mode)) {
            if (!s.env_tape_dir || s.env_tape_dir->empty()) {
                plan->origin = "no tape (FORGE_TAPE_DIR is not set)";
                plan->owned_tape = std::make_shared<const forge::tape>();
            } else {
                const std::filesystem::path path =
                    std::filesystem::path(*s.env_tape_dir) / (cfg.name + ".log");
                plan->origin = path.string();
                if (std::filesystem::exists(path)) {
                    forge::record_tape file(path);
                    file.load();
                    plan->owned_tape = std::make_shared<const forge::tape>(file.compile());
                } else {
                    plan->origin += " (no such file)";
                    plan->owned_tape = std::make_shared<const forge::tape>();
                }
            }
        } else {
            plan->origin = "no tape (give the task one with set_tape)";
            plan->owned_tape = std::make_shared<const forge::tape>();
        }
    }
    plan->boundaries.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const boundary_tape_settings* own = i < s.boundaries.size() ? &s.boundaries[i] : nullptr;
        const tape_policy policy = own != nullptr && own->policy ? *own->policy : s.policy;
        const forge::repeats rep = own != nullptr && own->repeats ? *own->repeats : s.repeats;
        const boundary_calls* entries =
            plan->owned_tape ? plan->owned_tape->find(cfg.boundary_names[i]) : nullptr;
        plan->boundaries.push_back(plan_boundary(own, modes[i], policy, rep, entries, false));
    }
    return plan;
}

std::shared_ptr<const tape_plan> build_replay_plan(const task_config& cfg,
                                                   const execution_record& source,
                                                   const replay_options& options) {
    auto plan = std::make_shared<tape_plan>();
    plan->strict = options.strict;
    plan->origin = source.uuid ? "source record " + *source.uuid : "source record (no uuid)";
    const std::size_t n = cfg.boundary_names.size();
    plan->boundaries.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& name = cfg.boundary_names[i];
        forge::mode m = options.mode;
        tape_policy policy = options.policy;
        for (const auto& o : options.overrides) {
            if (o.boundary != name) continue;
            if (o.mode) m = *o.mode;
            if (o.policy) policy = *o.policy;
        }
        check_tape_mode(cfg, i, m, "replay");
        const boundary_tape_settings* own =
            i < cfg.tapes.boundaries.size() ? &cfg.tapes.boundaries[i] : nullptr;
        plan->boundaries.push_back(plan_boundary(own, m, policy, options.repeats,
                                                 source.find_boundary(name), options.strict));
    }
    return plan;
}

}  // namespace forge::detail
