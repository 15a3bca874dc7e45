# kt_add_plugin_test(name test.c plugin sources...): a cmocka program that links the plugin's
# sources directly and drives its descriptor through a fake host (common/kt_fake_host.h), so a
# plugin is tested without the core. tests/unit/test_plugin_loader.c loads the real .so files.
include_guard(GLOBAL)
pkg_check_modules(KT_PLUGIN_CMOCKA REQUIRED IMPORTED_TARGET GLOBAL cmocka)

function(kt_add_plugin_test name)
  add_executable(test_plugin_${name} ${ARGN})
  target_include_directories(test_plugin_${name} PRIVATE ${PROJECT_SOURCE_DIR}/core/include
                             ${PROJECT_SOURCE_DIR}/plugins/common)
  target_link_libraries(test_plugin_${name} PRIVATE PkgConfig::KT_PLUGIN_CMOCKA)
  add_test(NAME plugin.${name} COMMAND test_plugin_${name})
  set_tests_properties(plugin.${name} PROPERTIES LABELS plugin)
endfunction()
