#include "tests/graph/map_http.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

namespace datamap::graph::testing {

std::string parse_graphml_with_python(const std::string& xml, const std::string& dir) {
  std::string path = dir + "/export.graphml";
  std::ofstream(path, std::ios::binary) << xml;
  std::string cmd =
      "python3 -c \"import sys, xml.etree.ElementTree as ET\n"
      "ns = {'g': 'http://graphml.graphdrawing.org/xmlns'}\n"
      "root = ET.parse(sys.argv[1]).getroot()\n"
      "graph = root.find('g:graph', ns)\n"
      "print(len(graph.findall('g:node', ns)), len(graph.findall('g:edge', ns)))\" '" +
      path + "' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return "popen failed";
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace datamap::graph::testing
