// forge::make_uuid_v7: record identifiers (docs/record-format.md §5.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace forge {

// make_uuid_v7: a lowercase RFC 9562 UUID v7 string whose 48-bit timestamp is unix_ms and whose
// other bits come from a per-thread generator seeded from std::random_device (a CSPRNG on
// Linux), with the RFC's monotonic counter within one millisecond. Thread-safe, no lock, one
// small string allocation (36 chars). Cost: tens of ns.
std::string make_uuid_v7(std::int64_t unix_ms);

// is_uuid: text is a UUID of any version in its canonical text form: 8-4-4-4-12 hex digits
// (^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$), either case.
// The one syntax rule for record uuids (docs/hive-api.md §5.3), shared by client and server.
// No allocation; reads at most 37 bytes of text.
bool is_uuid(std::string_view text) noexcept;

// is_uuid_v7: text matches ^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$
// (uppercase accepted).
bool is_uuid_v7(std::string_view text) noexcept;

// uuid_v7_unix_ms: the timestamp of a v7 uuid (-1 when text is not one).
std::int64_t uuid_v7_unix_ms(std::string_view text) noexcept;

}  // namespace forge
