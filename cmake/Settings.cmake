# Shared settings, linked PRIVATE by our own targets only (never by third-party code).
add_library(galley_settings INTERFACE)
target_compile_features(galley_settings INTERFACE cxx_std_20)
target_compile_definitions(galley_settings INTERFACE $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>
  GALLEY_VERSION="${PROJECT_VERSION}")

add_library(galley_warnings INTERFACE)
target_compile_options(galley_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wnull-dereference -Wextra-semi -Werror
  # g++ 12 reports false -Wrestrict positives inside std::string operator+ (GCC bug 105329).
  -Wno-restrict)

if(GALLEY_SANITIZE)
  target_compile_options(galley_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(galley_settings INTERFACE -fsanitize=address,undefined)
endif()

if(GALLEY_FUZZ)
  # libFuzzer's coverage with AddressSanitizer and UBSan on every library; a clang warning the gcc
  # build does not know is reported, not fatal, in this build only.
  target_compile_options(galley_settings INTERFACE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined -g)
  target_link_options(galley_settings INTERFACE -fsanitize=address,undefined)
  target_compile_options(galley_warnings INTERFACE -Wno-error -Wno-unknown-warning-option)
endif()

# galley_library(NAME folder sources...): a static library for one folder.
function(galley_library name)
  add_library(${name} STATIC ${ARGN})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE galley_settings galley_warnings)
endfunction()

# galley_test(NAME sources... LIBS libs...): one Catch2 binary registered with CTest.
function(galley_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${CMAKE_SOURCE_DIR}/tests/catch_main.cpp ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} Catch2::Catch2 galley_settings galley_warnings)
  add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
endfunction()
