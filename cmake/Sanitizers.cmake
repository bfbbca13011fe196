# Sanitizer and fuzzing builds (issue 12). Included from the top-level CMakeLists.txt before the
# subsystems, so the flags below reach every library, test binary and the datamap server the tests
# start.
#
#   DATAMAP_SANITIZE=address,undefined  ASan + UBSan (UB aborts: -fno-sanitize-recover), -O1, line tables
#   DATAMAP_SANITIZE=thread             TSan, -O1, line tables
#   DATAMAP_FUZZ=ON                     libFuzzer targets in fuzz/ (clang only). The project's code
#                                       also gets coverage instrumentation (fuzzer-no-link); with no
#                                       DATAMAP_SANITIZE given it implies address,undefined, so one
#                                       clang tree serves both the ASan/UBSan suite and the fuzzers.
#
# Sanitizer runtime options and suppressions (sanitizers/*.supp) are given to every test by
# datamap_sanitizer_environment() below; reports of any process (the test binaries and the servers
# they start) are written to ${DATAMAP_SANITIZER_LOG_DIR}, which the last test checks is empty.
set(DATAMAP_SANITIZE "" CACHE STRING "Sanitizers to build with: address,undefined | thread | empty")
option(DATAMAP_FUZZ "Build the libFuzzer targets in fuzz/ (clang only)" OFF)

if(DATAMAP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DATAMAP_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(DATAMAP_SANITIZE STREQUAL "")
    set(DATAMAP_SANITIZE "address,undefined" CACHE STRING "" FORCE)
  endif()
  if(DATAMAP_SANITIZE STREQUAL "thread")
    message(FATAL_ERROR "DATAMAP_FUZZ runs with address,undefined, not thread")
  endif()
endif()

set(DATAMAP_SANITIZER_LOG_DIR ${CMAKE_BINARY_DIR}/sanitizer-logs)
# Exists from configure on, so a binary run by hand can write its report there too.
file(MAKE_DIRECTORY ${DATAMAP_SANITIZER_LOG_DIR})
set(_san_dir ${PROJECT_SOURCE_DIR}/sanitizers)

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # RapidJSON's iterators (Debian 1.1.0) trip this C++20 note at every `it != doc.MemberEnd()` of
  # ours; the ambiguity is in the library's operators, not in the comparisons.
  add_compile_options(-Wno-ambiguous-reversed-operator)
endif()

if(NOT DATAMAP_SANITIZE STREQUAL "")
  # -O1 (after the build type's -O2/-O3, so it wins): fast enough, and stacks stay readable.
  # Line tables only (clang -gline-tables-only, gcc -g1): every frame of a sanitizer report still
  # has its file:line, but no types or variables are written, which made these trees' objects
  # and 30-50 MB test binaries slow to compile and link. Debug a finding in a -g build of its own.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    add_compile_options(-O1 -gline-tables-only -fno-omit-frame-pointer)
  else()
    add_compile_options(-O1 -g1 -fno-omit-frame-pointer)
  endif()
  if(DATAMAP_SANITIZE STREQUAL "address,undefined")
    # UB is an error, not a warning in a log nobody reads.
    set(_san -fsanitize=address,undefined -fno-sanitize-recover=all)
    # Third-party header code compiled into ours that trips a check (each entry says why).
    add_compile_options(${_san} -fsanitize-ignorelist=${_san_dir}/ubsan_ignorelist.txt)
    add_link_options(${_san})
  elseif(DATAMAP_SANITIZE STREQUAL "thread")
    add_compile_options(-fsanitize=thread)
    add_link_options(-fsanitize=thread)
  else()
    message(FATAL_ERROR "DATAMAP_SANITIZE must be address,undefined or thread, not '${DATAMAP_SANITIZE}'")
  endif()
endif()

set(DATAMAP_NO_FUZZ_COVERAGE "")
if(DATAMAP_FUZZ)
  # Coverage feedback for libFuzzer in every library; only fuzz/ targets link the fuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
  # For code no fuzz target links (the test suites, the command-line front end): the counters and
  # comparison hooks cost ~20% of a test file's compile (2.81 -> 2.27 CPU s) and slow the tests.
  set(DATAMAP_NO_FUZZ_COVERAGE -fno-sanitize=fuzzer-no-link)
endif()

# Runtime options compiled into the datamap binary and the test binaries (cmake/sanitizer_defaults.cpp
# via __asan_default_options & co.), so the servers the tests start get them too without anyone
# setting ASAN_OPTIONS; variables set in the environment still override them.
#  - log_path: reports land in ${DATAMAP_SANITIZER_LOG_DIR}/<tool>.<pid>; a server's own output
#    lives in a temp dir its test removes, and LeakSanitizer's exit code of a server stopped with
#    SIGTERM is not looked at, so tests/CMakeLists.txt ends with a test that fails on any report.
#  - suppressions: sanitizers/*.supp, only for reports inside uninstrumented Debian libraries.
set(_common "log_path=${DATAMAP_SANITIZER_LOG_DIR}")
set(DATAMAP_ASAN_DEFAULTS "${_common}/asan:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:suppressions=${_san_dir}/asan.supp")
set(DATAMAP_LSAN_DEFAULTS "suppressions=${_san_dir}/lsan.supp:print_suppressions=0")
set(DATAMAP_UBSAN_DEFAULTS "${_common}/ubsan:print_stacktrace=1:halt_on_error=1")
set(DATAMAP_TSAN_DEFAULTS "${_common}/tsan:halt_on_error=0:second_deadlock_stack=1:suppressions=${_san_dir}/tsan.supp")

# Links the compiled-in runtime options into an executable (no-op in a build without sanitizers).
function(datamap_sanitizer_runtime target)
  if(DATAMAP_SANITIZE STREQUAL "")
    return()
  endif()
  target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/cmake/sanitizer_defaults.cpp)
  set_property(SOURCE ${PROJECT_SOURCE_DIR}/cmake/sanitizer_defaults.cpp TARGET_DIRECTORY ${target}
    APPEND PROPERTY COMPILE_DEFINITIONS
    "DATAMAP_ASAN_DEFAULTS=\"${DATAMAP_ASAN_DEFAULTS}\""
    "DATAMAP_LSAN_DEFAULTS=\"${DATAMAP_LSAN_DEFAULTS}\""
    "DATAMAP_UBSAN_DEFAULTS=\"${DATAMAP_UBSAN_DEFAULTS}\""
    "DATAMAP_TSAN_DEFAULTS=\"${DATAMAP_TSAN_DEFAULTS}\"")
endfunction()
