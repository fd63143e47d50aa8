// forge::chaos networking: raw sockets and corpus entries for the reliability suite, where the
// exact bytes sent and the difference between an answer, a close and silence all matter.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace forge::chaos {

// exchange_result: what came back for one request: a status line (status > 0), a close without
// one (closed), or nothing within the deadline (timed_out: the server left the client silent).
struct exchange_result {
    int status = 0;
    bool closed = false;
    bool timed_out = false;

    // describe: "HTTP 400", "closed without an answer" or "silent until the deadline".
    std::string describe() const;
};

// raw_socket
//
// A TCP connection to 127.0.0.1:port. The constructor throws std::runtime_error when connecting
// fails. send_some writes what it can (a peer that closed is not an error). Not thread-safe.
class raw_socket {
public:
    explicit raw_socket(std::uint16_t port);
    ~raw_socket();
    raw_socket(raw_socket&& other) noexcept;
    raw_socket& operator=(raw_socket&&) = delete;
    raw_socket(const raw_socket&) = delete;
    raw_socket& operator=(const raw_socket&) = delete;

    // send_some: writes bytes, stopping early when the peer closes or resets.
    void send_some(std::string_view bytes);

    // read_status: reads until a full response head arrives, the peer closes, or the deadline.
    exchange_result read_status(std::chrono::milliseconds deadline);

    // closed_by_peer: true when the server has closed this connection (after reading and
    // discarding whatever it sent first). Does not block.
    bool closed_by_peer();

private:
    int fd_ = -1;
};

// raw_exchange: one request over a fresh connection; its first response's status.
exchange_result raw_exchange(std::uint16_t port,
                             std::string_view bytes,
                             std::chrono::milliseconds deadline);

// corpus_entry: one hostile request of tests/chaos/corpus. The file's first line is
// "expect: <status or close>...", the rest the request, LF line ends in the head becoming CRLF.
// Tokens: @@AUTH@@ (the Authorization value), @@LEN@@ (the body's length), @@REPEAT n text@@ and
// @@KEYS n@@ ("k0000000":0,... n distinct keys).
struct corpus_entry {
    std::string bytes;
    std::string expect_text;
    std::vector<int> statuses;
    bool close_ok = false;

    // accepts: an expected status, or a close when "close" is listed; never silence.
    bool accepts(const exchange_result& r) const;
};

// load_corpus_entry: reads and expands one corpus file. Throws std::runtime_error when the file
// cannot be read or has no expect line.
corpus_entry load_corpus_entry(const std::filesystem::path& file, const std::string& auth);

}  // namespace forge::chaos
