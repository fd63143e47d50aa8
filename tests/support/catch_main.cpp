#define CATCH_CONFIG_MAIN
// Catch2's implementation includes <regex>, in which g++ 12 at -O1 (the asan preset) reports a
// false -Wmaybe-uninitialized inside std::function; it is not our code, so it is silenced here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <catch2/catch.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
