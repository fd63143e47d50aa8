// forge::test::reserved_port: a loopback port that belongs to one test for its whole life.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace forge::test {

// reserved_port
//
// A TCP socket bound to 127.0.0.1 on a free port with SO_REUSEADDR, never listening. While it
// lives, connecting to the port is refused (the kernel answers RST: ECONNREFUSED) unless a server
// that also sets SO_REUSEADDR (hive-server and the in-process server do) listens on it, and no
// other socket can be given the port: binds without SO_REUSEADDR fail and port-0 binds and
// outgoing connections skip it. So a test can point a client at an address that refuses by
// construction, and stop and restart a server on the same port without anyone else taking it
// under `ctest -j`. The constructor throws std::runtime_error when no socket can be bound.
// Neither copyable nor movable; its calls are const and thread-safe.
class reserved_port {
public:
    reserved_port();
    ~reserved_port();
    reserved_port(const reserved_port&) = delete;
    reserved_port& operator=(const reserved_port&) = delete;

    std::uint16_t port() const noexcept { return port_; }

    // url: "<scheme>://127.0.0.1:<port>".
    std::string url(std::string_view scheme = "http") const;

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace forge::test
