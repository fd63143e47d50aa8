#include <forge/task/uuid_source.hpp>
#include <forge/types/uuid.hpp>

namespace forge {

namespace {

class v7_source final : public uuid_source {
public:
    std::string make(std::int64_t unix_ms) const override { return make_uuid_v7(unix_ms); }
};

}  // namespace

const uuid_source& uuid_source::v7() noexcept {
    static const v7_source instance;
    return instance;
}

}  // namespace forge
