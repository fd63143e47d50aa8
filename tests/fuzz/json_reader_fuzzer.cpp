// libFuzzer target: arbitrary bytes into the JSON reader. Every input must either parse (and then
// re-encode to text that parses to the same value) or raise json_parse_error; anything else (a
// crash, a sanitizer report, another exception) is a bug. Each input is also parsed against a
// memory budget of 16 bytes per input byte (parse_memory): it must give the same value, or
// json_memory_error when the budget runs out, never a partial value.
#include <forge/types/errors.hpp>
#include <forge/types/json_text.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

// bounded_memory: admits charges up to a fixed total.
class bounded_memory final : public forge::parse_memory {
public:
    explicit bounded_memory(std::size_t limit) : limit_(limit) {}
    bool charge(std::size_t bytes) override {
        if (bytes > limit_ - used_) return false;
        used_ += bytes;
        return true;
    }

private:
    std::size_t limit_;
    std::size_t used_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<forge::json> v;
    try {
        v = forge::parse_json(text);
        std::string again = forge::to_json_text(*v);
        if (!(forge::parse_json(again) == *v)) std::abort();
    } catch (const forge::json_parse_error&) {
    }
    bounded_memory memory(16 * size);
    forge::parse_options opts;
    opts.memory = &memory;
    try {
        forge::json bounded = forge::parse_json(text, opts);
        if (!v || !(bounded == *v)) std::abort();
    } catch (const forge::json_parse_error&) {
        if (v) std::abort();
    } catch (const forge::json_memory_error&) {
    }
    return 0;
}
