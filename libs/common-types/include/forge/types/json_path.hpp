// forge::json_path: where a value sits inside a JSON document, as error messages print it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace forge {

// json_path
//
// The location of a value inside a JSON document, as a chain of stack frames: each frame names
// its parent and one step (an object key or an array index). Used by codec decoding and schema
// validation, so a path reads the same in every error the task library reports.
//
// Grammar (one for the whole SDK, the one docs/record-format.md uses for validation messages):
// steps joined by '.', an object key written as it is, an array index in decimal, the root as the
// empty string. So `holdings.1.qty` is member "qty" of the second element of "holdings". Keys are
// not escaped: a key containing '.' reads like two steps (the path is for people, not parsers).
//
// Cost: building a frame is free (no allocation, no copy of the key, which must outlive the
// frame); str() allocates once for the text. A frame must not outlive its parent.
class json_path {
public:
    // json_path(): the root.
    json_path() noexcept = default;
    // json_path(parent, key): member key of the object at parent.
    json_path(const json_path& parent, std::string_view key) noexcept
        : parent_(&parent), key_(key), kind_(step::key) {}
    // json_path(parent, index): element index of the array at parent.
    json_path(const json_path& parent, std::size_t index) noexcept
        : parent_(&parent), index_(index), kind_(step::index) {}

    // str: the path text, "" for the root. Allocates.
    std::string str() const;

private:
    enum class step : std::uint8_t { root, key, index };
    const json_path* parent_ = nullptr;
    std::string_view key_{};
    std::size_t index_ = 0;
    step kind_ = step::root;
};

}  // namespace forge
