#include <forge/task/codec.hpp>

#include <cmath>
#include <utility>

namespace forge {

void throw_decode_error(const json_path& path, std::string reason) {
    throw decode_error(path.str(), std::move(reason));
}

void throw_kind_error(const json_path& path, std::string_view expected, const json& actual) {
    std::string reason = "expected ";
    reason.append(expected);
    reason += ", received ";
    reason.append(kind_name(actual.kind()));
    throw_decode_error(path, std::move(reason));
}

namespace detail {

namespace {

[[noreturn]] void out_of_range(const json_path& path, const json& j) {
    std::string reason = "integer out of range: ";
    if (j.kind() == json_kind::uinteger) {
        reason += std::to_string(j.as_uint64());
    } else if (j.kind() == json_kind::integer) {
        reason += std::to_string(j.as_int64());
    } else {
        reason += std::to_string(j.as_double());
    }
    throw_decode_error(path, std::move(reason));
}

}  // namespace

std::int64_t decode_int64(const json& j, const json_path& path, std::int64_t lo, std::int64_t hi) {
    switch (j.kind()) {
        case json_kind::integer: {
            std::int64_t v = j.as_int64();
            if (v < lo || v > hi) out_of_range(path, j);
            return v;
        }
        case json_kind::uinteger:
            out_of_range(path, j);
        case json_kind::number: {
            double d = j.as_double();
            if (std::floor(d) != d) throw_decode_error(path, "expected integer, received number");
            if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) ||
                d >= 9.2233720368547758e18) {
                out_of_range(path, j);
            }
            return static_cast<std::int64_t>(d);
        }
        default:
            throw_kind_error(path, "integer", j);
    }
}

std::uint64_t decode_uint64(const json& j, const json_path& path, std::uint64_t hi) {
    switch (j.kind()) {
        case json_kind::integer: {
            std::int64_t v = j.as_int64();
            if (v < 0 || static_cast<std::uint64_t>(v) > hi) out_of_range(path, j);
            return static_cast<std::uint64_t>(v);
        }
        case json_kind::uinteger: {
            std::uint64_t v = j.as_uint64();
            if (v > hi) out_of_range(path, j);
            return v;
        }
        case json_kind::number: {
            double d = j.as_double();
            if (std::floor(d) != d) throw_decode_error(path, "expected integer, received number");
            if (!(d >= 0 && d <= static_cast<double>(hi)) || d >= 1.8446744073709552e19) {
                out_of_range(path, j);
            }
            return static_cast<std::uint64_t>(d);
        }
        default:
            throw_kind_error(path, "integer", j);
    }
}

}  // namespace detail

}  // namespace forge
