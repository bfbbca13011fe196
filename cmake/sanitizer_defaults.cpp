// Default runtime options of the sanitizers, compiled into the datamap binary and the test binaries
// of a sanitizer build (cmake/Sanitizers.cmake says which options and why). The runtimes call these
// hooks at start-up; ASAN_OPTIONS & co. in the environment are applied after them and win.
extern "C" {
__attribute__((used)) const char* __asan_default_options() {
  return DATAMAP_ASAN_DEFAULTS;
}
__attribute__((used)) const char* __lsan_default_options() {
  return DATAMAP_LSAN_DEFAULTS;
}
__attribute__((used)) const char* __ubsan_default_options() {
  return DATAMAP_UBSAN_DEFAULTS;
}
__attribute__((used)) const char* __tsan_default_options() {
  return DATAMAP_TSAN_DEFAULTS;
}
}
