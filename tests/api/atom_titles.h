// The Atom feeds as a subscriber's reader sees them, parsed by libxml2 (a real XML parser): for
// the activity tests (tests/api/) and the data-request feed tests (tests/demand/).
#pragma once

#include <string>
#include <vector>

namespace datamap::testing {

// An Atom feed's entries' titles in document order. Fails the test when the text is not
// well-formed XML or not an Atom feed (one feed id, one updated).
std::vector<std::string> atom_titles(const std::string& xml);

}  // namespace datamap::testing
