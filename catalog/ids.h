// Identifiers and timestamps shared by every writer of the catalog.
#pragma once

#include <string>
#include <string_view>

namespace datamap::catalog {

// A random UUID (version 4), lower-case hex with dashes.
std::string new_id();
// A UUID (version 7 layout: 48 bits of Unix milliseconds, then 74 random bits) that sorts after
// every one made before it in an earlier millisecond. For rows only ever appended (activities):
// their id index then grows at its right edge instead of dirtying a random leaf per insert,
// which at a million rows was a leaf page rewritten per activity and commit. Not for anything
// an attacker must not guess the creation time of.
std::string time_ordered_id();
// A stable UUID (version 5 form, SHA-1) from a namespace and a key: the same source key always
// yields the same dataset id, which is what makes re-imports idempotent.
std::string stable_id(std::string_view name_space, std::string_view key);
// Whether `s` is a UUID as CKAN's uuid_validator takes one (Python's uuid.UUID): 32 hex digits,
// with or without the dashes of the 8-4-4-4-12 form, braces or a "urn:uuid:" prefix. Ids a
// client chooses for new records must pass it; a path or a 111-character string does not.
bool is_uuid(std::string_view s);
// Now, as ISO 8601 UTC with microseconds: "2026-11-22T03:56:06.123456".
std::string now_iso8601();
// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace datamap::catalog
