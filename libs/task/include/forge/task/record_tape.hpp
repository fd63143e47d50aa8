// forge::record_tape: an NDJSON tape file of execution records kept in memory, the C++
// counterpart of the TypeScript RecordTape (docs/record-format.md §10.1, §12).
#pragma once

#include <forge/task/listener_registry.hpp>
#include <forge/task/tape.hpp>
#include <forge/types/execution_record.hpp>
#include <forge/types/json.hpp>
#include <forge/types/tape_file.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <vector>

namespace forge {

// record_tape_options: max_records keeps at most the last N records (0: unlimited);
// skip_invalid makes load() skip and count bad lines instead of failing.
struct record_tape_options {
    std::size_t max_records = 0;
    bool skip_invalid = false;
};

// record_tape
//
// The records of one tape file, in file order, held in memory: load() reads the file, push()
// adds records (the listener() of a task pushes every run), save() writes them back, compile()
// merges their boundaries into one forge::tape. The path is used as given (no ".log" added).
//
// Example:
//
//   forge::record_tape tape("runs/get-price.log");
//   tape.load();                                   // a missing file is an empty tape
//   auto h = task.add_listener(tape.listener());   // every finished run is pushed
//   task.safe_run(input);
//   tape.save();                                   // appends the new line
//
// Writing follows docs/record-format.md §10.1. A record pushed without type gets one by the
// classification rule and one without metadata gets {}, exactly as append_to_tape writes it
// (to_tape_line): the record in memory is the record a later load() reads back. Records that were
// read keep their keys, order and explicit nulls, so a record passes through load() and save()
// byte-identical (pass-through, §12).
//
// Thread-safe: every member may be called from several threads at once. A mutex guards the
// records; save() and load() also take a second mutex, so they run one at a time, and do their
// file work outside the first, so push() and records() wait only for in-memory copies, never for
// I/O. Neither copyable nor movable (listener() refers to the object).
class record_tape {
public:
    // record_tape: a tape for path, empty until load() or push(). Touches no file.
    explicit record_tape(std::filesystem::path path, record_tape_options opts = {});

    record_tape(const record_tape&) = delete;
    record_tape& operator=(const record_tape&) = delete;
    record_tape(record_tape&&) = delete;
    record_tape& operator=(record_tape&&) = delete;
    ~record_tape() = default;

    // load
    //
    // Replaces the records in memory with those of the file, then keeps the last max_records. A
    // missing file is an empty tape. A bad line throws tape_error "<path>:<line>: <reason>" and
    // changes nothing (records, skipped_lines() and what save() will do stay as they were); with
    // skip_invalid bad lines are skipped and skipped_lines() counts them. Records pushed while
    // load() runs are replaced too. Other read failures throw tape_error naming the path. Cost:
    // reads and decodes the whole file; holds the records' lock only to swap them in.
    void load();

    // push
    //
    // Appends r in memory. metadata is merged over r's own (insert_or_assign: the caller's value
    // wins, an existing key keeps its first position, a new key is appended). A record without
    // type gets it by the classification rule and one without metadata gets {}, as a tape line
    // has them (to_tape_line); then, past max_records, the oldest records are dropped. Never
    // touches the file. Cost: the merge, one encode and decode of r only when a type or metadata
    // has to be filled in, and a lock held for a move.
    void push(execution_record r, const json_object& metadata = {});

    // save
    //
    // Writes the records to the file. Before any load(), the file is a log this object only adds
    // to: save() appends the records pushed since the last save() (append_to_tape, one write per
    // line) and keeps whatever the file held, so forgetting load() never loses stored records
    // (after a failed append, the next save() appends the unsaved records again, so lines that
    // did reach the file may repeat); with max_records it reads the file, adds those records and
    // rewrites it atomically with the last max_records. After load(), memory mirrors the file: when
    // since then records were only pushed, none dropped, it appends just the new lines (lines
    // load() skipped stay in the file); otherwise (max_records dropped a record, in push() or in
    // load(), or an earlier save() failed) it replaces the file with exactly the records in memory
    // (write_tape_atomically: readers see the old or the new file, never a mix). Creates the
    // file when missing. Throws tape_error naming the path, e.g. for a missing parent directory.
    // Cost: copies the records to write under the lock, encodes and writes them outside it; a
    // rewrite fsyncs the file and its directory.
    void save();

    // records: a copy of the records, oldest first. Cost: copies every record under the lock.
    std::vector<execution_record> records() const;

    // size: the number of records in memory.
    std::size_t size() const;

    // skipped_lines: the bad lines the last load() skipped (skip_invalid); 0 before any load.
    std::size_t skipped_lines() const;

    // path: the tape file, as given.
    const std::filesystem::path& path() const noexcept { return path_; }

    // compile: every record's boundaries merged into one cache tape (tape::from_records, TS
    // compileCache()): names in first-seen order, each name's entries in record order. Cost:
    // copies every boundary entry under the lock.
    forge::tape compile() const;

    // listener: a listener that push()es every record it is given (no extra metadata), so that
    // `auto h = task.add_listener(tape.listener());` records each run. It refers to this tape:
    // the record_tape must outlive every registration of it (destroy or reset() the handle
    // first). Cost per run: as push().
    forge::listener listener();

private:
    void trim_locked();

    const std::filesystem::path path_;
    const record_tape_options opts_;

    mutable std::mutex mutex_;  // guards every member below
    std::deque<execution_record> records_;
    // Records are numbered in push (and load) order: records_ holds [end_seq_ - size, end_seq_).
    std::uint64_t end_seq_ = 0;
    // When file_known_, the file holds exactly the records numbered [file_first_, file_end_).
    bool file_known_ = false;
    std::uint64_t file_first_ = 0;
    std::uint64_t file_end_ = 0;
    std::size_t skipped_lines_ = 0;
    // Before any load(): records numbered below appended_end_ are in the file.
    bool loaded_ = false;
    std::uint64_t appended_end_ = 0;

    std::mutex io_mutex_;  // one load() or save() at a time
};

}  // namespace forge
