// Record classification and the names of record enums (docs/record-format.md §3, §4, §9).
#include <forge/types/execution_record.hpp>

namespace forge {

std::string_view to_string(record_type t) noexcept {
    switch (t) {
        case record_type::success:
            return "success";
        case record_type::error:
            return "error";
        case record_type::pending:
            return "pending";
    }
    return "pending";
}

std::optional<record_type> parse_record_type(std::string_view text) noexcept {
    if (text == "success") return record_type::success;
    if (text == "error") return record_type::error;
    if (text == "pending") return record_type::pending;
    return std::nullopt;
}

record_type execution_record::effective_type() const noexcept {
    if (type) return *type;
    if (error) return record_type::error;
    if (output && !output->is_null()) return record_type::success;
    return record_type::pending;
}

std::optional<forge::error_category> execution_record::effective_error_category() const noexcept {
    if (error_category) return error_category;
    if (effective_type() != record_type::error) return std::nullopt;
    return classify_error_message(error ? std::string_view(*error) : std::string_view());
}

const boundary_calls* execution_record::find_boundary(std::string_view name) const noexcept {
    for (const auto& b : boundaries) {
        if (b.first == name) return &b.second;
    }
    return nullptr;
}

}  // namespace forge
