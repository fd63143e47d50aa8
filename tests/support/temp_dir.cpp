#include "temp_dir.hpp"

#include <random>
#include <string>
#include <system_error>

namespace forge::test {

temp_dir::temp_dir() {
    std::random_device rd;
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0;; ++attempt) {
        auto candidate = base / ("forge-test-" + std::to_string(rd()) + std::to_string(rd()));
        if (std::filesystem::create_directory(candidate)) {
            path_ = std::move(candidate);
            return;
        }
        if (attempt > 100) {
            throw std::filesystem::filesystem_error("cannot create a temporary directory", base,
                                                    std::make_error_code(std::errc::file_exists));
        }
    }
}

temp_dir::~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

}  // namespace forge::test
