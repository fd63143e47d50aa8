// forge::test::slurp / spit: a file's whole content as text, and writing one, for file tests.
#pragma once

#include <filesystem>
#include <string>

namespace forge::test {

// slurp: the bytes of the file at p ("" when it cannot be read).
std::string slurp(const std::filesystem::path& p);

// spit: replaces the file at p with text (binary, no newline translation).
void spit(const std::filesystem::path& p, const std::string& text);

}  // namespace forge::test
