// forge::test::hive_server_process: runs the hive-server executable as a child process for tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace forge::test {

// hive_server_options: how to start the server. port 0 lets the server pick a free one.
struct hive_server_options {
    std::filesystem::path binary;
    std::filesystem::path database;
    std::string api_key = "test-key";
    std::string api_secret = "test-secret";
    std::vector<std::filesystem::path> forge_json_files;
    std::vector<std::string> extra_args;
    std::uint16_t port = 0;
    // rlimit_nofile: the child's soft RLIMIT_NOFILE (0: inherited). Set by lowering this process's
    // soft limit around the spawn, so spawn only while no other thread opens descriptors.
    std::uint64_t rlimit_nofile = 0;
    // start_timeout: how long to wait for the "hive-server listening on" line.
    std::chrono::milliseconds start_timeout{30000};
};

// hive_server_process
//
// Spawns options.binary with --db, --api-key, --api-secret, --port and --forge-json flags (plus
// extra_args), and reads the port from its first stdout line within start_timeout. The
// constructor throws std::runtime_error (with the exit status) when the server does not come up.
// The destructor stops it. Not thread-safe.
class hive_server_process {
public:
    explicit hive_server_process(hive_server_options options);
    ~hive_server_process();
    hive_server_process(const hive_server_process&) = delete;
    hive_server_process& operator=(const hive_server_process&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    // url: "http://127.0.0.1:<port>".
    std::string url() const;
    pid_t pid() const noexcept { return pid_; }
    bool running() const noexcept { return pid_ > 0; }

    // kill_hard: SIGKILL and reap; nothing is flushed or finished.
    void kill_hard();

    // stop: SIGTERM, then waits up to `timeout` for exit (SIGKILL after it). Returns the exit code
    // (128 + signal when killed by one), or -1 when not running.
    int stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));

    // restart: stops the server if running, then starts it again with the same database and the
    // same port, retrying briefly while the port is still taken.
    void restart();

private:
    void spawn(std::uint16_t port);

    hive_server_options options_;
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace forge::test
