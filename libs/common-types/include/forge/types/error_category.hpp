// forge::error_category: the class of a failure (docs/record-format.md §10.3).
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace forge {

// error_category: validation, timeout, network or other.
enum class error_category : std::uint8_t { validation, timeout, network, other };

// to_string: "validation", "timeout", "network", "other".
std::string_view to_string(error_category c) noexcept;

// parse_error_category: the category named by text, or nullopt for any other text.
std::optional<error_category> parse_error_category(std::string_view text) noexcept;

// classify_error_message: the category of a record that carries only an error text (TS records),
// by the spec's message rules, case-insensitive, first rule wins.
error_category classify_error_message(std::string_view message) noexcept;

// categorized_error: an exception that carries its category. Throw it (or derive from it) from a
// boundary to set errorCategory explicitly.
class categorized_error : public std::runtime_error {
public:
    categorized_error(error_category category, const std::string& message)
        : std::runtime_error(message), category_(category) {}
    error_category category() const noexcept { return category_; }

private:
    error_category category_;
};

// error_message: what() of a std::exception, "unknown exception" for anything else.
std::string error_message(const std::exception_ptr& e);

// classify_exception: categorized_error gives its category; a std::system_error (including
// boost::system::system_error) with a timed-out code gives timeout; connection
// refused/reset/aborted, host not found, network unreachable and broken pipe give network;
// anything else other. Never throws.
error_category classify_exception(const std::exception_ptr& e) noexcept;

}  // namespace forge
