// Keeps a harvested record that one repairable field would otherwise reject (issue 17: a dataset
// is never lost for a field that can be repaired or kept). Each repair is a warning the job
// records on the record's harvest object; what cannot be repaired is still the validator's to
// reject with its reason.
//   tags      one keyword literal holding a list ("a, b, c" or "a; b") longer than the
//   100-character
//             tag limit becomes its tags; a single tag still too long is shortened to 100
//             characters; a tag that is not UTF-8 text is dropped.
//   url, issued, modified, next_update, license_id, resources' url
//             a value the validator would refuse is kept as it came in extras (url_raw,
//             issued_raw, license_raw, ...; a resource's in its own extras) and the field left
//             empty.
#pragma once

#include <string>
#include <vector>

#include "catalog/model.h"

namespace datamap::catalog::importer {

// Repairs `d` in place; one human-readable warning per repair, in field order.
std::vector<std::string> repair_record(Dataset& d);

}  // namespace datamap::catalog::importer
