# forge_add_library(<short> SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
#
# One forge library: target forge_<short>, alias forge::<short>, EXPORT_NAME <short>, public
# headers from ./include (installed), C++20, our warnings. Installed into its own export set
# forge-<short>-targets, so find_package(forge COMPONENTS <short>) loads only what it needs.
function(forge_add_library short)
  cmake_parse_arguments(arg "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(target forge_${short})
  add_library(${target} ${arg_SOURCES})
  add_library(forge::${short} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${short} POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_link_libraries(${target} PUBLIC ${arg_PUBLIC_LIBS} PRIVATE ${arg_PRIVATE_LIBS} forge_warnings)
  if(FORGE_INSTALL)
    install(TARGETS ${target} EXPORT forge-${short}-targets)
    install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endif()
endfunction()
