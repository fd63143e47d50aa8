# forge_warnings: an interface target carrying our warning flags. Linked PRIVATE by our own
# targets only, so third-party headers (included as SYSTEM) and consumers never see them.
# -Werror comes from CMAKE_COMPILE_WARNING_AS_ERROR, which every preset sets.
add_library(forge_warnings INTERFACE)
target_compile_options(forge_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow)

# Asio/Beast under -std=c++20 with g++ 12 and Boost 1.74 need <utility> before awaitable.hpp
# (std::exchange). forge_use_asio(<target>) is applied to the few targets that include Beast.
function(forge_use_asio target)
  target_compile_options(${target} PRIVATE -include utility)
  target_include_directories(${target} SYSTEM PRIVATE ${Boost_INCLUDE_DIRS})
  target_compile_definitions(${target} PRIVATE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
  target_link_libraries(${target} PRIVATE Threads::Threads)
  # Asio's std_fenced_block uses std::atomic_thread_fence, which g++ 12 flags under
  # -fsanitize=thread (-Wtsan: TSan does not model fences). Asio's handoffs also go through its
  # scheduler's mutex, which TSan does see, so the warning is silenced for these targets only.
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=thread")
    target_compile_options(${target} PRIVATE -Wno-tsan)
  endif()
endfunction()
