#include "json_difference.hpp"

#include <forge/types/json_text.hpp>

#include <string_view>

namespace forge::detail {

namespace {

class differ {
public:
    differ(std::vector<std::string>* out, std::size_t keep, std::size_t limit)
        : out_(out), keep_(keep), limit_(limit) {}

    void compare(const json& recorded, const json& actual, const std::string& path) {
        if (count_ >= limit_) return;
        if (recorded.is_array() && actual.is_array()) {
            const auto& r = recorded.as_array();
            const auto& a = actual.as_array();
            for (std::size_t i = 0; i < r.size() || i < a.size(); ++i) {
                const std::string step = join(path, std::to_string(i));
                if (i >= a.size()) {
                    report(step, to_json_text(r[i]), "absent");
                } else if (i >= r.size()) {
                    report(step, "absent", to_json_text(a[i]));
                } else {
                    compare(r[i], a[i], step);
                }
                if (count_ >= limit_) return;
            }
            return;
        }
        if (recorded.is_object() && actual.is_object()) {
            for (const auto& [key, value] : recorded.as_object()) {
                const json* other = actual.find(key);
                if (other == nullptr) {
                    report(join(path, key), to_json_text(value), "absent");
                } else {
                    compare(value, *other, join(path, key));
                }
                if (count_ >= limit_) return;
            }
            for (const auto& [key, value] : actual.as_object()) {
                if (recorded.find(key) == nullptr)
                    report(join(path, key), "absent", to_json_text(value));
                if (count_ >= limit_) return;
            }
            return;
        }
        if (!canonical_equal(recorded, actual)) {
            report(path, to_json_text(recorded), to_json_text(actual));
        }
    }

    std::size_t count() const noexcept { return count_; }

private:
    static std::string join(const std::string& path, std::string_view step) {
        return path.empty() ? std::string(step) : path + "." + std::string(step);
    }

    void report(const std::string& path, const std::string& recorded, const std::string& actual) {
        if (out_ != nullptr && count_ < keep_) {
            out_->push_back((path.empty() ? std::string("(root)") : path) + ": recorded " +
                            recorded + ", actual " + actual);
        }
        ++count_;
    }

    std::vector<std::string>* out_;
    std::size_t keep_;
    std::size_t limit_;
    std::size_t count_ = 0;
};

}  // namespace

std::size_t json_differences(const json& recorded,
                             const json& actual,
                             std::vector<std::string>* out,
                             std::size_t keep,
                             std::size_t count_limit) {
    differ d(out, keep, count_limit);
    d.compare(recorded, actual, "");
    return d.count();
}

}  // namespace forge::detail
