// Runs one of the project's node scripts (validators from npm) and captures what it printed.
// The npm packages come from the root package.json (make test's setup step installs them); a
// missing node or node_modules is a failure with a message saying so, never a skipped check.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

namespace datamap::testing {

struct NodeResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

inline std::string shell_quote(const std::string& s) {
  std::string out(1, '\'');
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

inline NodeResult run_node_script(const std::string& script, const std::vector<std::string>& args) {
  std::string cmd = "cd ";
  cmd += shell_quote(DATAMAP_SOURCE_DIR);
  cmd += " && node ";
  cmd += shell_quote(script);
  for (const auto& a : args) {
    cmd.push_back(' ');
    cmd += shell_quote(a);
  }
  cmd += " 2>&1";
  NodeResult result;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace datamap::testing
