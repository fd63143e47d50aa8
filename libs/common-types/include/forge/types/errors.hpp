// Exception types thrown by forge::types.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace forge {

// json_type_error: a json accessor was used on a value of another kind.
class json_type_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// json_parse_error: JSON text is malformed (or nested deeper than the limit). what() names the
// byte offset and the reason, e.g. "offset 17: expected ',' or '}' after an object member" or
// "offset 256: nesting deeper than 256 levels".
class json_parse_error : public std::runtime_error {
public:
    json_parse_error(std::size_t offset, const std::string& reason);
    std::size_t offset() const noexcept { return offset_; }

private:
    std::size_t offset_;
};

// json_memory_error: a parse stopped because its parse_memory budget refused a charge (the text
// may be valid). what() names the byte offset and the bytes charged so far. Not a
// json_parse_error: try_parse_json lets it through, since the input is not at fault.
class json_memory_error : public std::runtime_error {
public:
    json_memory_error(std::size_t offset, std::size_t charged);
};

// decode_error: JSON is well formed but does not have the expected shape. what() starts with the
// path of the offending value, e.g. "boundaries.fetchPrice.1.timing.startTime: expected number";
// a wrong root value reads "(root): expected object, got array" (path() is then empty).
class decode_error : public std::runtime_error {
public:
    decode_error(std::string path, std::string reason);
    const std::string& path() const noexcept { return path_; }
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string path_;
    std::string reason_;
};

}  // namespace forge
