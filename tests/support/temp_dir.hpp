// forge::test::temp_dir: a fresh directory under the system temp folder, removed on destruction.
#pragma once

#include <filesystem>

namespace forge::test {

// temp_dir: creates a unique empty directory; the destructor removes it and everything in it.
// Move-only. Throws std::filesystem::filesystem_error when the directory cannot be created.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::filesystem::path& p) const { return path_ / p; }

private:
    std::filesystem::path path_;
};

}  // namespace forge::test
