// Exception types of forge::types.
#include <forge/types/errors.hpp>

#include <utility>

namespace forge {

json_parse_error::json_parse_error(std::size_t offset, const std::string& reason)
    : std::runtime_error("offset " + std::to_string(offset) + ": " + reason), offset_(offset) {}

json_memory_error::json_memory_error(std::size_t offset, std::size_t charged)
    : std::runtime_error("offset " + std::to_string(offset) +
                         ": parsed values over the memory budget (" + std::to_string(charged) +
                         " bytes charged)") {}

decode_error::decode_error(std::string path, std::string reason)
    : std::runtime_error((path.empty() ? std::string("(root)") : path) + ": " + reason),
      path_(std::move(path)),
      reason_(std::move(reason)) {}

}  // namespace forge
