#include <forge/types/json_path.hpp>

#include <string>
#include <vector>

namespace forge {

std::string json_path::str() const {
    std::vector<const json_path*> steps;
    for (const json_path* p = this; p->kind_ != step::root; p = p->parent_) steps.push_back(p);
    std::string out;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
        if (it != steps.rbegin()) out += '.';
        if ((*it)->kind_ == step::key) {
            out.append((*it)->key_);
        } else {
            out += std::to_string((*it)->index_);
        }
    }
    return out;
}

}  // namespace forge
