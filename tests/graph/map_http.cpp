#include "tests/graph/map_http.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>

namespace datamap::graph::testing {

namespace {

// Read with networkx's GraphML reader (keys, typed attributes, edges between declared nodes),
// then check what a drawing tool relies on: every node has its key and type, every
// dataset-to-dataset edge says why it exists. Parallel edges (a related and an explicit relation
// between the same two datasets) are kept: force_multigraph.
constexpr const char* kGraphmlCheck = R"(import sys
import networkx as nx
g = nx.read_graphml(sys.argv[1], force_multigraph=True)
bad = [n for n, a in g.nodes(data=True) if not a.get('key') or not a.get('type')]
if bad:
    sys.exit('nodes without key or type: %r' % bad[:3])
quiet = [(u, v) for u, v, a in g.edges(data=True)
         if a.get('edge_type') in ('related', 'explicit_relation') and not a.get('reasons')]
if quiet:
    sys.exit('dataset edges without reasons: %r' % quiet[:3])
print(g.number_of_nodes(), g.number_of_edges())
)";

}  // namespace

std::string parse_graphml_with_python(const std::string& xml, const std::string& dir) {
  std::string path = dir + "/export.graphml", script = dir + "/check_graphml.py";
  std::ofstream(path, std::ios::binary) << xml;
  std::ofstream(script, std::ios::binary) << kGraphmlCheck;
  // Debian's interpreter, where scripts/setup.sh installs python3-networkx (a python3 earlier on
  // PATH, e.g. pyenv's, may lack it).
  std::string cmd = "/usr/bin/python3 '" + script + "' '" + path + "' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return "popen failed";
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace datamap::graph::testing
