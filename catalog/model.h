// The catalog's model: CKAN's package dict in C++ types, with a home for every data.go.kr field
// (DESIGN.md, "The model"). Plain values with no behaviour; validation lives in validation.h and
// the JSON form in package_json.h. A source field the model has no member for goes to `extras`,
// so nothing a source gives is ever dropped.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace datamap::catalog {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// One column of a dataset's table; `standard_term` is the matched common standard term
// (공통표준용어).
struct Column {
  std::string name;
  std::string type;
  std::string description;
  std::string standard_term;
};

// What the DataStore's loader measured in one column of a resource's table (datastore/loader.h):
// written into the catalog with the resource so search, the map and quality read it from here.
// Data validation against the common standard (issue 15, datastore/validator.h): one kind of
// problem found in a column, with the first few rows that show it.
struct ValidationProblem {
  // "out_of_korea", "not_a_number", "date_format", "phone_format", "code_format",
  // "check_digit", "not_allowed", "too_long", "inconsistent_code", "email_format", "url_format"
  std::string kind;
  std::int64_t count = 0;
  std::vector<std::pair<std::int64_t, std::string>> examples;  // (1-based data row, value)
};

// What the validator found in one column. `rule` is what the column was checked as (a semantic
// id such as "latitude", "allowed_values", "max_length"); "" when nothing applies to it.
struct ColumnValidation {
  std::string rule;
  std::int64_t missing = 0;  // empty cells
  std::int64_t invalid = 0;  // non-empty values with at least one problem
  std::int64_t valid = 0;
  std::vector<ValidationProblem> problems;
};

// The resource's validation summary. error_rate (오류율) = invalid values / checked values
// (the non-empty values of the checked columns); rows-level problems are counted apart.
struct ResourceValidation {
  bool done = false;  // false: never validated (the quality indicator is pending)
  std::string validated_at;
  std::int64_t rows = 0;
  std::int64_t checked_values = 0;
  std::int64_t invalid_values = 0;
  std::int64_t failing_rows = 0;  // rows with any problem, duplicates and ragged rows included
  std::int64_t duplicate_rows = 0;
  std::int64_t ragged_rows = 0;
  std::vector<std::int64_t> duplicate_examples;  // data rows repeating an earlier row
  std::vector<std::int64_t> ragged_examples;     // data rows with too few or too many values
  double error_rate() const {
    return checked_values ? static_cast<double>(invalid_values) / checked_values : 0.0;
  }
};

struct ColumnProfile {
  std::string name;
  std::string type;           // int | numeric | bool | date | timestamp | text (CKAN DataStore's)
  std::string semantic_type;  // "" or one of datastore/loader/semantic.h's ids, e.g. "latitude"
  std::string standard_term;  // the matched common standard term (공통표준용어), or ""
  std::int64_t rows = 0;
  std::int64_t nulls = 0;           // empty cells
  std::int64_t distinct = 0;        // of the non-empty values
  bool distinct_estimated = false;  // past the exact cap: a HyperLogLog estimate
  std::string min, max;             // by the column's type; "" when the column is empty
  std::vector<std::pair<std::string, std::int64_t>> top_values;  // at most 10, most frequent first
  std::int64_t invalid =
      0;  // non-empty values that do not fit the semantic type (e.g. out of Korea)
  std::vector<std::string>
      organizations;  // catalog organization ids matched by 제공기관코드 values
  // Code-like columns: the 64-bit hashes of the k smallest normalised values (a bottom-k MinHash;
  // leading zeros, hyphens and white space stripped), to estimate joinability between columns.
  std::vector<std::uint64_t> sketch;
  ColumnValidation validation;  // rule "" and no counts: not validated
  // Code-like columns with at most kExactValuesMax distinct normalised values: every one, as
  // (the sketch's hash of the normalised value, rows carrying it), sorted by hash. Exact overlap
  // and row shares between two such columns; empty when the column has more (then the sketch).
  static constexpr std::size_t kExactValuesMax = 2000;
  std::vector<std::pair<std::uint64_t, std::int64_t>> value_counts;
};

// Where a loaded resource's rows lie, and which other resources' rows lie near them (issue 14,
// near edges). Written by the DataStore's load job (datastore/near.h), which alone holds the
// points; the map reads only these figures.
struct NearPair {
  std::string resource_id, package_id;  // the other resource and its dataset
  std::uint64_t fingerprint = 0;        // the other's PointSummary::fingerprint when measured
  double within_m = 0;
  std::int64_t points_near = 0;   // of this resource's points, those with one of the other's
  std::int64_t other_points = 0;  // within within_m, and the same from the other's side
  std::int64_t other_points_near = 0;
};
struct PointSummary {
  std::string lat_column, lon_column;  // empty: the rows carry no points
  std::int64_t points = 0;             // rows with a point
  std::uint64_t fingerprint = 0;       // of the set of points: a figure naming it is current
  // Coarse grid cells (datastore/near.h's cell ids) with their point counts, sorted by cell:
  // what picks the candidates a load measures against.
  std::vector<std::pair<std::uint32_t, std::int64_t>> cells;
  std::vector<NearPair> near;  // measured pairs, best first
};

struct Resource {
  std::string id;
  std::string package_id;
  std::string name;
  std::string description;
  std::string url;
  std::string format;  // upper case, e.g. "CSV", "JSON"
  std::string mimetype;
  std::int64_t size = -1;  // bytes; -1 = unknown
  std::string created;
  std::string last_modified;
  bool datastore_active = false;       // its rows are in the DataStore
  std::vector<ColumnProfile> columns;  // the loader's profile, in table order
  ResourceValidation validation;       // the validator's summary (per column: in columns)
  PointSummary points;                 // rows with coordinates: where they lie (near edges)
  KeyValues extras;
};

// Dataset types: data.go.kr's 목록유형 FILE / API / STD, and CKAN's generic "dataset".
inline constexpr const char* kDatasetTypes[] = {"dataset", "file", "api", "standard"};
inline constexpr const char* kStates[] = {"active", "deleted", "draft"};

struct Dataset {
  std::string id;    // UUID-like, stable; derived from source_key when there is one
  std::string name;  // URL slug: 2-100 chars of [a-z0-9_-], unique
  std::string title;
  std::string notes;  // description
  std::string type = "dataset";
  std::string state = "active";
  std::string owner_org;  // organization id
  std::string url;        // landing page (목록 URL)
  std::string license_id;
  std::string author, author_email;
  std::string maintainer, maintainer_email, maintainer_phone;
  std::string version;
  std::string frequency;    // 업데이트 주기
  std::string next_update;  // 차기 등록 예정일
  std::string spatial, temporal;
  std::string issued, modified;                     // as the source states them (ISO 8601)
  std::string metadata_created, metadata_modified;  // when this catalog wrote the record
  std::string category_sub;                         // 분류체계 sub category, e.g. "법제"
  std::string source_key;  // 목록키 or the harvest source's identifier: what re-imports match on
  std::string source;      // provenance: "datago", "ckan:<url>", "harvest:<source id>", "api"
  bool is_private = false;
  bool national_priority = false;
  bool standard_dataset = false;
  std::int64_t views = 0;
  std::int64_t downloads = 0;
  std::vector<std::string> tags;
  std::vector<std::string> groups;  // group (category) names
  std::vector<Resource> resources;
  std::vector<Column> columns;
  KeyValues extras;
};

// An agency (기관). `code` is 기관코드 when the source has one.
struct Organization {
  std::string id;
  std::string name;
  std::string title;
  std::string description;
  std::string code;
  std::string image_url;
  std::string created;
  std::string state = "active";
};

// A category (분류체계 main category, e.g. 공공행정).
struct Group {
  std::string id;
  std::string name;
  std::string title;
  std::string description;
  std::string created;
  std::string state = "active";  // "deleted": group_delete (CKAN), hidden from listings
};

struct License {
  std::string id;
  std::string title;
  std::string url;
};

inline constexpr const char* kRoles[] = {"admin", "editor", "member"};

struct Membership {
  std::string organization_id;
  std::string role;  // admin | editor | member
};

// A user given rights on one dataset besides those of its organization (CKAN's dataset
// collaborators): "editor" may change the dataset, "member" may read it while private.
struct Collaborator {
  std::string dataset_id;
  std::string user_id;
  std::string capacity;  // editor | member
  std::string modified;
};

struct User {
  std::string id;
  std::string name;
  std::string fullname;
  std::string email;
  bool sysadmin = false;
  std::string created;
  std::string state = "active";
  std::vector<Membership> memberships;
  std::vector<Collaborator> collaborations;  // read with the user; written by put_collaborator
};

// An API token as stored: only the SHA-256 of the secret is kept.
struct ApiToken {
  std::string id;
  std::string user_id;
  std::string name;
  std::string created;
  std::string last_access;
};

// A signed-in console session (api/console_session.h). Only the SHA-256 of its random id is
// stored; the id itself lives in the browser's cookie. Times are Unix seconds. It ends at the
// first of idle_expires_at (pushed forward while in use) and expires_at (fixed at sign-in).
struct ConsoleSession {
  std::string user_id;
  std::string token_id;  // the API token it was opened with
  std::int64_t created_at = 0;
  std::int64_t idle_expires_at = 0;
  std::int64_t expires_at = 0;
};

// CKAN's package_relationship: `subject` depends_on / derives_from / links_to / child_of `object`
// (and the inverse types dependency_of, has_derivation, linked_from, parent_of).
inline constexpr const char* kRelationshipTypes[] = {
    "depends_on", "dependency_of", "derives_from", "has_derivation",
    "links_to",   "linked_from",   "child_of",     "parent_of"};

struct Relationship {
  std::string subject_id;
  std::string object_id;
  std::string type;
  std::string comment;
};

// One row of the change log: revision N is the Nth committed change to the catalog.
struct Change {
  std::int64_t revision = 0;
  std::string entity;  // "dataset" | "organization" | "group" | "user" | ...
  std::string id;
  std::string kind;  // "create" | "update" | "delete"
  std::string at;    // ISO 8601 UTC
};

}  // namespace datamap::catalog
