// The model's rules, checked before anything is written. Every failure names its field, so the
// API's 409 and the importer's rejected-row report say exactly what to fix.
#pragma once

#include <string>
#include <string_view>

#include "catalog/errors.h"
#include "catalog/model.h"

namespace datamap::catalog {

// Adds a message per broken rule to `errors`: title required; name 2-100 chars of [a-z0-9_-];
// URLs http(s) and parseable; dates ISO 8601; type, state, license known; resources' urls;
// text valid UTF-8. Does not check uniqueness (the store does, atomically).
void validate_dataset(const Dataset& d, FieldErrors& errors);
// Throws ValidationError when validate_dataset finds anything.
void check_dataset(const Dataset& d);

void validate_organization(const Organization& o, FieldErrors& errors);
void validate_group(const Group& g, FieldErrors& errors);

bool is_valid_name(std::string_view name);      // [a-z0-9_-]{2,100}
bool is_valid_url(std::string_view url);        // http or https with a host
bool is_iso8601(std::string_view date);          // YYYY, YYYY-MM, YYYY-MM-DD, with optional time
bool is_known_license(std::string_view license_id);
// A tag: valid UTF-8, not blank, at most 100 characters (CKAN counts characters, not bytes: a
// Korean tag takes 3 bytes a character).
bool is_valid_tag(std::string_view tag);

// A name built from arbitrary text (Korean included): lower-case ASCII letters and digits kept,
// everything else folded to '-', trimmed to 100. Empty when nothing usable remains.
std::string slugify(std::string_view text);

}  // namespace datamap::catalog
