# Installs the libraries, their headers, the reference docs and a package config so that
# find_package(forge CONFIG REQUIRED [COMPONENTS types task hive]) gives forge::types,
# forge::task and forge::hive. Each library has its own export file; the config loads only the
# requested components and finds only their dependencies (OpenSSL for hive alone).
include(CMakePackageConfigHelpers)

# forge_warnings is linked PRIVATE (LINK_ONLY in the export of static libraries); exporting it
# with types keeps the export sets complete. It carries only warning flags, which LINK_ONLY never
# propagates.
install(TARGETS forge_warnings EXPORT forge-types-targets)

set(forge_config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/forge)
set(FORGE_COMPONENTS types task)
if(FORGE_HIVE)
  list(APPEND FORGE_COMPONENTS hive)
endif()
foreach(component IN LISTS FORGE_COMPONENTS)
  install(EXPORT forge-${component}-targets NAMESPACE forge:: DESTINATION ${forge_config_dir}
          FILE forge-${component}-targets.cmake)
endforeach()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/forge-config.cmake.in
  ${PROJECT_BINARY_DIR}/forge-config.cmake INSTALL_DESTINATION ${forge_config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/forge-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/forge-config.cmake ${PROJECT_BINARY_DIR}/forge-config-version.cmake
        DESTINATION ${forge_config_dir})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} OPTIONAL)
