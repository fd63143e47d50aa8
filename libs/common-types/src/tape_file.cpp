// NDJSON tape files: read, append and atomic rewrite (docs/record-format.md §12).
#include "record_encoder.hpp"

#include <forge/types/errors.hpp>
#include <forge/types/tape_file.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace forge {
namespace {

[[noreturn]] void throw_errno(const std::filesystem::path& path, std::string_view what, int err) {
    throw tape_error(path.string() + ": " + std::string(what) + ": " + std::strerror(err));
}

// parent_of: the directory a tape file lives in ("." for a bare file name).
std::filesystem::path parent_of(const std::filesystem::path& path) {
    auto parent = path.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

[[noreturn]] void throw_open_error(const std::filesystem::path& path, int err) {
    std::error_code ec;
    auto parent = parent_of(path);
    if (err == ENOENT && !std::filesystem::is_directory(parent, ec)) {
        throw tape_error(path.string() + ": parent directory does not exist: " + parent.string());
    }
    throw_errno(path, "cannot open", err);
}

// file_descriptor: closes on destruction.
class file_descriptor {
public:
    explicit file_descriptor(int fd) noexcept : fd_(fd) {}
    ~file_descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    file_descriptor(const file_descriptor&) = delete;
    file_descriptor& operator=(const file_descriptor&) = delete;
    int get() const noexcept { return fd_; }
    int release() noexcept {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

// write_all: one write(2) for the whole buffer in the normal case; continues after a partial write.
void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(path, "write failed", errno);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// encode_line: the record's tape line. A record without type gets one by the classification
// rule and one without metadata gets {}, appended after the other keys as TS RecordTape.push does.
void encode_line(std::string& line, const execution_record& r, const encode_options& opts) {
    line.clear();
    detail::encode_tape_record(line, r, opts);
    line.push_back('\n');
}

bool is_blank(std::string_view line) noexcept {
    for (char c : line) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') return false;
    }
    return true;
}

}  // namespace

std::string to_tape_line(const execution_record& r, const encode_options& opts) {
    std::string line;
    detail::encode_tape_record(line, r, opts);
    return line;
}

tape_contents parse_tape(std::string_view text,
                         std::string_view name,
                         const tape_read_options& opts) {
    tape_contents out;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (is_blank(line)) continue;
        try {
            out.records.push_back(decode_record(line));
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& e) {
            if (!opts.skip_invalid) {
                throw tape_error(std::string(name) + ":" + std::to_string(line_no) + ": " +
                                 e.what());
            }
            ++out.skipped_lines;
        }
    }
    return out;
}

tape_contents read_tape(const std::filesystem::path& path, const tape_read_options& opts) {
    file_descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw_errno(path, "cannot open", errno);
    std::string text;
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && st.st_size > 0)
        text.reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(path, "read failed", errno);
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return parse_tape(text, path.string(), opts);
}

void append_to_tape(const std::filesystem::path& path,
                    std::span<const execution_record> records,
                    const encode_options& opts) {
    file_descriptor fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw_open_error(path, errno);
    std::string line;
    for (const auto& r : records) {
        encode_line(line, r, opts);
        write_all(fd.get(), line, path);
    }
    int raw = fd.release();
    if (::close(raw) != 0 && errno != EINTR) throw_errno(path, "close failed", errno);
}

void write_tape_atomically(const std::filesystem::path& path,
                           std::span<const execution_record> records,
                           const encode_options& opts) {
    auto dir = parent_of(path);
    std::string name = ".";
    name.append(path.filename().string());
    name.append(".tmp-XXXXXX");
    std::string tmpl = (dir / name).string();
    int raw = ::mkostemp(tmpl.data(), O_CLOEXEC);
    if (raw < 0) throw_open_error(path, errno);
    std::filesystem::path tmp_path(tmpl);
    try {
        file_descriptor fd(raw);
        std::string text;
        std::string line;
        for (const auto& r : records) {
            encode_line(line, r, opts);
            text.append(line);
        }
        write_all(fd.get(), text, tmp_path);
        if (::fchmod(fd.get(), 0644) != 0) throw_errno(tmp_path, "chmod failed", errno);
        if (::fsync(fd.get()) != 0) throw_errno(tmp_path, "fsync failed", errno);
        int to_close = fd.release();
        if (::close(to_close) != 0 && errno != EINTR) throw_errno(tmp_path, "close failed", errno);
        if (::rename(tmp_path.c_str(), path.c_str()) != 0)
            throw_errno(path, "rename failed", errno);
    } catch (...) {
        ::unlink(tmp_path.c_str());
        throw;
    }
    file_descriptor dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() >= 0) ::fsync(dfd.get());
}

}  // namespace forge
