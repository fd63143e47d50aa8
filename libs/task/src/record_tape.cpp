// forge::record_tape: an NDJSON tape file of execution records kept in memory
// (docs/record-format.md §10.1).
#include <forge/task/record_tape.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>

#include <iterator>
#include <system_error>
#include <utility>

namespace forge {
namespace {

// complete_as_tape_line: r as a tape reader sees it once written: a missing type and metadata
// filled in by the one rule of append_to_tape (to_tape_line), the record then reads as decoded.
// Only records that lack one of them pay for the encode and decode.
void complete_as_tape_line(execution_record& r) {
    const bool lacks_metadata = r.layout.was_read() && r.metadata.empty();
    if (r.type && !lacks_metadata) return;
    parse_options unlimited;
    unlimited.max_depth = static_cast<std::size_t>(-1);
    r = record_from_json(parse_json(to_tape_line(r), unlimited));
}

// read_if_present: the tape at path, or an empty one when no file is there.
tape_contents read_if_present(const std::filesystem::path& path, const tape_read_options& opts) {
    std::error_code ec;
    if (std::filesystem::status(path, ec).type() == std::filesystem::file_type::not_found) {
        return {};
    }
    return read_tape(path, opts);
}

}  // namespace

record_tape::record_tape(std::filesystem::path path, record_tape_options opts)
    : path_(std::move(path)), opts_(opts) {}

void record_tape::load() {
    std::lock_guard io(io_mutex_);
    tape_contents contents = read_if_present(path_, tape_read_options{opts_.skip_invalid});
    auto& read = contents.records;
    std::size_t dropped = 0;
    if (opts_.max_records != 0 && read.size() > opts_.max_records) {
        dropped = read.size() - opts_.max_records;
    }
    std::deque<execution_record> kept(
        std::make_move_iterator(read.begin() + static_cast<std::ptrdiff_t>(dropped)),
        std::make_move_iterator(read.end()));
    std::lock_guard lock(mutex_);
    records_ = std::move(kept);
    file_first_ = end_seq_;
    end_seq_ += records_.size();
    file_end_ = end_seq_;
    file_known_ = dropped == 0;
    skipped_lines_ = contents.skipped_lines;
    loaded_ = true;
}

void record_tape::push(execution_record r, const json_object& metadata) {
    for (const auto& [key, value] : metadata) insert_or_assign(r.metadata, key, value);
    complete_as_tape_line(r);
    std::lock_guard lock(mutex_);
    records_.push_back(std::move(r));
    ++end_seq_;
    trim_locked();
}

void record_tape::trim_locked() {
    if (opts_.max_records == 0) return;
    while (records_.size() > opts_.max_records) records_.pop_front();
}

void record_tape::save() {
    std::lock_guard io(io_mutex_);
    std::vector<execution_record> batch;
    bool append = false;
    std::uint64_t first = 0;
    std::uint64_t end = 0;
    bool loaded = false;
    {
        std::lock_guard lock(mutex_);
        end = end_seq_;
        first = end - records_.size();
        loaded = loaded_;
        auto from = records_.begin();
        if (!loaded) {
            append = true;
            if (appended_end_ > first) from += static_cast<std::ptrdiff_t>(appended_end_ - first);
        } else {
            append = file_known_ && file_first_ == first && file_end_ >= first && file_end_ <= end;
            if (append) from += static_cast<std::ptrdiff_t>(file_end_ - first);
        }
        batch.assign(from, records_.end());
    }
    if (!loaded) {
        if (opts_.max_records == 0) {
            append_to_tape(path_, batch);
        } else {
            tape_contents file = read_if_present(path_, tape_read_options{opts_.skip_invalid});
            auto& all = file.records;
            all.insert(all.end(), std::make_move_iterator(batch.begin()),
                       std::make_move_iterator(batch.end()));
            const std::size_t drop =
                all.size() > opts_.max_records ? all.size() - opts_.max_records : 0;
            write_tape_atomically(path_, std::span<const execution_record>(all).subspan(drop));
        }
        std::lock_guard lock(mutex_);
        if (appended_end_ < end) appended_end_ = end;
        return;
    }
    try {
        if (append) {
            append_to_tape(path_, batch);
        } else {
            write_tape_atomically(path_, batch);
        }
    } catch (...) {
        std::lock_guard lock(mutex_);
        file_known_ = false;
        throw;
    }
    std::lock_guard lock(mutex_);
    file_known_ = true;
    file_first_ = first;
    file_end_ = end;
}

std::vector<execution_record> record_tape::records() const {
    std::lock_guard lock(mutex_);
    return {records_.begin(), records_.end()};
}

std::size_t record_tape::size() const {
    std::lock_guard lock(mutex_);
    return records_.size();
}

std::size_t record_tape::skipped_lines() const {
    std::lock_guard lock(mutex_);
    return skipped_lines_;
}

forge::tape record_tape::compile() const {
    forge::tape t;
    std::lock_guard lock(mutex_);
    for (const auto& r : records_) t.append(r.boundaries);
    return t;
}

forge::listener record_tape::listener() {
    return [this](const execution_record& r) { push(r); };
}

}  // namespace forge
