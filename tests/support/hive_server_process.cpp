#include "hive_server_process.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace forge::test {
namespace {

using clock_type = std::chrono::steady_clock;

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

hive_server_process::hive_server_process(hive_server_options options)
    : options_(std::move(options)) {
    spawn(options_.port);
}

hive_server_process::~hive_server_process() { stop(); }

std::string hive_server_process::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void hive_server_process::spawn(std::uint16_t port) {
    std::vector<std::string> args = {
        options_.binary.string(), "--db",         options_.database.string(), "--api-key",
        options_.api_key,         "--api-secret", options_.api_secret,        "--port",
        std::to_string(port)};
    for (const auto& f : options_.forge_json_files) {
        args.push_back("--forge-json");
        args.push_back(f.string());
    }
    args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    pid_t pid = -1;
    rlimit saved{};
    bool lowered = false;
    if (options_.rlimit_nofile != 0 && ::getrlimit(RLIMIT_NOFILE, &saved) == 0) {
        rlimit child = saved;
        child.rlim_cur = static_cast<rlim_t>(options_.rlimit_nofile);
        lowered = ::setrlimit(RLIMIT_NOFILE, &child) == 0;
    }
    int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    if (lowered) ::setrlimit(RLIMIT_NOFILE, &saved);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        throw std::runtime_error("posix_spawn " + args[0] + ": " + std::strerror(rc));
    }
    pid_ = pid;

    std::string line;
    auto deadline = clock_type::now() + options_.start_timeout;
    bool complete = false;
    while (!complete) {
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now())
                .count();
        if (left <= 0) break;
        pollfd p{fds[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        char c;
        auto n = ::read(fds[0], &c, 1);
        if (n <= 0) break;
        if (c == '\n') {
            complete = true;
        } else {
            line.push_back(c);
        }
    }
    ::close(fds[0]);
    const std::string prefix = "hive-server listening on http://127.0.0.1:";
    if (!complete || line.rfind(prefix, 0) != 0) {
        int code = stop(std::chrono::seconds(5));
        throw std::runtime_error("hive-server did not start (first line \"" + line + "\", exit " +
                                 std::to_string(code) + ")");
    }
    port_ = static_cast<std::uint16_t>(std::stoul(line.substr(prefix.size())));
}

void hive_server_process::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

int hive_server_process::stop(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    auto deadline = clock_type::now() + timeout;
    int status = 0;
    for (;;) {
        pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) break;
        if (r < 0 && errno != EINTR) {
            pid_ = -1;
            return -1;
        }
        if (clock_type::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    return decode_status(status);
}

void hive_server_process::restart() {
    stop();
    auto deadline = clock_type::now() + std::chrono::seconds(10);
    for (;;) {
        try {
            spawn(port_);
            return;
        } catch (const std::runtime_error&) {
            if (clock_type::now() >= deadline) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

}  // namespace forge::test
