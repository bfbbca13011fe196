# ctest step of a sanitizer build: fails, printing them, if any process left a sanitizer report
# in DIR (cmake -DDIR=... -P check_sanitizer_logs.cmake).
file(GLOB reports "${DIR}/*")
if(NOT reports)
  message(STATUS "no sanitizer reports in ${DIR}")
  return()
endif()
foreach(report IN LISTS reports)
  file(READ "${report}" text)
  message("==== ${report}\n${text}")
endforeach()
list(LENGTH reports count)
message(FATAL_ERROR "${count} sanitizer report(s) in ${DIR}")
