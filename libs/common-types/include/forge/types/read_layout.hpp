// forge::read_layout: the key order and presence of one record object as the decoder read it, so
// a record that was read re-encodes to the bytes it was read from (docs/record-format.md §11.3).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace forge {

// key_form: how a known key was written in the text that was read.
//   value        an ordinary value (for `input`/`output`, `null` is a value);
//   null         `null` where null means absent or empty (`"error":null`, `"metadata":null`);
//   empty_object `{}` for a `timing`, which reads as absent.
enum class key_form : std::uint8_t { value, null, empty_object };

// read_layout<Key, N>
//
// The as-read layout of one JSON object whose known keys are the N values of the enum Key (ids
// 0..N-1): the known keys in the order read, the form of each, and how many unknown keys (the
// owner's `extra` members, by index) stood before each. The decoder fills it; an object built in
// code has an empty layout (was_read() false) and is written in forge's canonical order (§7).
// Fixed size (5 bytes per known key plus 12), never allocates, never throws. Every layout compares
// equal to every other, so the owner's defaulted == ignores how a value was read.
template <typename Key, std::size_t N>
class read_layout {
    static_assert(N > 0 && N <= 32, "key ids must fit the 32-bit key set");

public:
    // was_read: true when the decoder produced the owner.
    bool was_read() const noexcept { return read_; }
    // size: the number of known keys read.
    std::size_t size() const noexcept { return size_; }
    // key, form: the i-th known key read (i < size()) and how it was written.
    Key key(std::size_t i) const noexcept { return static_cast<Key>(keys_[i] & id_mask); }
    key_form form(std::size_t i) const noexcept {
        return static_cast<key_form>(keys_[i] >> form_shift);
    }
    // extras_before: how many unknown keys were read before the i-th known key.
    std::uint32_t extras_before(std::size_t i) const noexcept { return extras_before_[i]; }
    // extras_read: how many unknown keys were read in all.
    std::uint32_t extras_read() const noexcept { return extras_; }
    // contains: the key was read (in any form).
    bool contains(Key k) const noexcept { return (seen_ & bit(k)) != 0; }

    // mark_read: starts a layout for an object being decoded (clears any previous one).
    void mark_read() noexcept {
        size_ = 0;
        extras_ = 0;
        seen_ = 0;
        read_ = true;
    }
    // add_key: appends the next known key read; a key already present keeps its first position
    // (a repeated key, as in the JSON reader) and takes the new form.
    void add_key(Key k, key_form f) noexcept {
        const auto id = static_cast<std::uint8_t>(k);
        if (id >= N) return;
        const auto packed =
            static_cast<std::uint8_t>(id | (static_cast<unsigned>(f) << form_shift));
        if (contains(k)) {
            for (std::size_t i = 0; i < size_; ++i) {
                if ((keys_[i] & id_mask) == id) keys_[i] = packed;
            }
            return;
        }
        seen_ |= bit(k);
        keys_[size_] = packed;
        extras_before_[size_] = extras_;
        ++size_;
    }
    // add_extra: counts the next unknown key read.
    void add_extra() noexcept {
        if (extras_ != UINT32_MAX) ++extras_;
    }
    // clear: forgets the layout; the owner is then written in canonical order.
    void clear() noexcept { *this = read_layout(); }

    friend bool operator==(const read_layout&, const read_layout&) noexcept { return true; }

private:
    static constexpr std::uint8_t id_mask = 0x3f;
    static constexpr unsigned form_shift = 6;

    static constexpr std::uint32_t bit(Key k) noexcept {
        return std::uint32_t{1} << static_cast<unsigned>(k);
    }

    std::array<std::uint8_t, N> keys_{};
    std::uint8_t size_ = 0;
    bool read_ = false;
    std::uint32_t extras_ = 0;
    std::uint32_t seen_ = 0;
    std::array<std::uint32_t, N> extras_before_{};
};

}  // namespace forge
