// forge::uuid_source: the injectable source of record uuids (default: uuid v7).
#pragma once

#include <cstdint>
#include <string>

namespace forge {

// uuid_source
//
// Gives the uuid of each run's record, from the run's start time in Unix ms. Implementations must
// be thread-safe: one source serves every run of a task, on any thread. Tests inject a fixed or
// counting source to compare whole records byte for byte:
//
//   struct fixed : forge::uuid_source {
//       std::string make(std::int64_t) const override { return "018fc52c-d20a-7b3e-..."; }
//   } ids;
//   task.set_uuid_source(ids);
class uuid_source {
public:
    uuid_source() = default;
    uuid_source(const uuid_source&) = delete;
    uuid_source& operator=(const uuid_source&) = delete;
    virtual ~uuid_source() = default;

    // make: the uuid of a run that started at unix_ms. May allocate.
    virtual std::string make(std::int64_t unix_ms) const = 0;

    // v7: the default source, forge::make_uuid_v7 (docs/record-format.md §5). A process-wide
    // immutable object; thread-safe; tens of ns per uuid.
    static const uuid_source& v7() noexcept;
};

}  // namespace forge
