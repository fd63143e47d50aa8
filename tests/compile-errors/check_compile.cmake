# cmake -DCXX=<compiler> -DINCLUDES=<dir|dir...> -DFLAGS=<flag|flag...> -DSOURCE=<file.cpp>
#       -P check_compile.cmake
#
# Compiles SOURCE as C++20 (syntax only). When SOURCE has a line "// expect: <text>", the compile
# must fail and the first line of the compiler's output that reports an error must contain
# <text>: the diagnostic has to be the first thing a user reads, not one buried in the output.
# Without such a line, SOURCE must compile with FLAGS and -Werror.
foreach(var CXX INCLUDES SOURCE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_compile.cmake: -D${var}=... is required")
  endif()
endforeach()

file(STRINGS "${SOURCE}" expect_lines REGEX "^// expect: ")
list(LENGTH expect_lines expect_count)
if(expect_count GREATER 1)
  message(FATAL_ERROR "${SOURCE}: more than one // expect: line")
endif()
string(REGEX REPLACE "^// expect: " "" expected "${expect_lines}")

set(args -std=c++20 -fsyntax-only)
string(REPLACE "|" ";" include_list "${INCLUDES}")
foreach(dir IN LISTS include_list)
  list(APPEND args "-I${dir}")
endforeach()
string(REPLACE "|" ";" flag_list "${FLAGS}")
list(APPEND args ${flag_list})
if(expected STREQUAL "")
  list(APPEND args -Werror)
endif()

execute_process(COMMAND "${CXX}" ${args} "${SOURCE}"
                RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)

if(expected STREQUAL "")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${SOURCE} must compile, but ${CXX} said:\n${output}")
  endif()
  return()
endif()

if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must fail with: ${expected}")
endif()
string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${output}")
string(FIND "${first_error}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${SOURCE}: the first error must contain\n  ${expected}\n"
                      "but it is\n  ${first_error}\nFull output:\n${output}")
endif()
message(STATUS "first error: ${first_error}")
