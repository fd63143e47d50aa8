// forge::test::database_lock: another process's write lock on a SQLite database, for storage
// fault tests (a locked database).
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>

namespace forge::test {

// database_lock
//
// Opens its own connection to the database at `path` and holds BEGIN EXCLUSIVE on it until
// release() or destruction, so every other writer gets SQLITE_BUSY. The constructor throws
// std::runtime_error when the lock cannot be taken. release() is idempotent and thread-safe (it
// may be called from a client callback thread).
class database_lock {
public:
    explicit database_lock(const std::filesystem::path& path) {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) fail("open");
        sqlite3_busy_timeout(db_, 10000);
        if (sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) != SQLITE_OK) {
            fail("BEGIN EXCLUSIVE");
        }
    }
    ~database_lock() {
        release();
        sqlite3_close(db_);
    }
    database_lock(const database_lock&) = delete;
    database_lock& operator=(const database_lock&) = delete;

    void release() {
        std::lock_guard lock(mutex_);
        if (released_) return;
        released_ = true;
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }

private:
    [[noreturn]] void fail(const char* what) {
        std::string message = std::string("database_lock ") + what + ": " + sqlite3_errmsg(db_);
        sqlite3_close(db_);
        throw std::runtime_error(message);
    }

    sqlite3* db_ = nullptr;
    std::mutex mutex_;
    bool released_ = false;
};

}  // namespace forge::test
