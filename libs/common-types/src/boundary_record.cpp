// Names of boundary provenances (docs/record-format.md §4).
#include <forge/types/boundary_record.hpp>

namespace forge {

std::string_view to_string(provenance p) noexcept {
    switch (p) {
        case provenance::live:
            return "live";
        case provenance::tape:
            return "tape";
        case provenance::tape_fallback:
            return "tape-fallback";
        case provenance::mock:
            return "mock";
    }
    return "live";
}

std::optional<provenance> parse_provenance(std::string_view text) noexcept {
    if (text == "live") return provenance::live;
    if (text == "tape") return provenance::tape;
    if (text == "tape-fallback") return provenance::tape_fallback;
    if (text == "mock") return provenance::mock;
    return std::nullopt;
}

}  // namespace forge
