#include <forge/task/tape_options.hpp>

namespace forge {

replay_options::boundary_override& replay_options::override_for(std::string_view boundary_name) {
    for (auto& o : overrides) {
        if (o.boundary == boundary_name) return o;
    }
    overrides.push_back(boundary_override{std::string(boundary_name)});
    return overrides.back();
}

replay_options& replay_options::set_mode(std::string_view boundary_name, forge::mode m) {
    override_for(boundary_name).mode = m;
    return *this;
}

replay_options& replay_options::set_policy(std::string_view boundary_name, tape_policy p) {
    override_for(boundary_name).policy = p;
    return *this;
}

}  // namespace forge
