// libFuzzer target: arbitrary bytes into the record decoder. Every input must either decode (and
// then re-encode to text that decodes to the same record) or raise json_parse_error /
// decode_error; anything else (a crash, a sanitizer report, another exception) is a bug.
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        forge::execution_record r = forge::decode_record(text);
        std::string first = forge::to_json_text(r);
        forge::execution_record back = forge::decode_record(first);
        if (forge::to_json_text(back) != first) std::abort();
    } catch (const forge::json_parse_error&) {
    } catch (const forge::decode_error&) {
    }
    return 0;
}
