# Installs the libraries, their headers and a package config so that
# find_package(forge CONFIG REQUIRED) gives forge::types, forge::task and forge::hive.
include(CMakePackageConfigHelpers)

# forge_warnings is linked PRIVATE (LINK_ONLY in the export of static libraries); exporting it
# keeps the export set complete. It carries only warning flags, which LINK_ONLY never propagates.
install(TARGETS forge_warnings EXPORT forge-targets)

set(forge_config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/forge)
install(EXPORT forge-targets NAMESPACE forge:: DESTINATION ${forge_config_dir}
        FILE forge-targets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/forge-config.cmake.in
  ${PROJECT_BINARY_DIR}/forge-config.cmake INSTALL_DESTINATION ${forge_config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/forge-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/forge-config.cmake ${PROJECT_BINARY_DIR}/forge-config-version.cmake
        DESTINATION ${forge_config_dir})
