// What a search asks and what it answers, in the terms of CKAN's package_search (the API turns
// the action's params into a SearchRequest and the SearchResponse into the CKAN result dict).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace datamap::search {

// Limits that keep one request from costing the server more than a search should.
inline constexpr std::int64_t kMaxRows = 1000;
inline constexpr std::int64_t kMaxStart = 100000;  // deeper pages: use the cursor
inline constexpr std::size_t kMaxQueryBytes = 2000;
inline constexpr std::size_t kMaxQueryTerms = 64;
inline constexpr std::int64_t kMaxFacetLimit = 1000;

struct SearchRequest {
  std::string q;     // free text with Solr-like field:value, "phrases", -exclusions; "" = all
  std::string fq;    // filter: field:value, "quoted", -field:value, AND/OR, (groups), ranges
  std::vector<std::string> facet_fields;  // organization, groups, tags, res_format, ...
  std::int64_t facet_limit = 50;          // -1: all values (capped at kMaxFacetLimit)
  std::int64_t facet_mincount = 1;
  std::int64_t rows = 10;
  std::int64_t start = 0;
  std::string sort;    // "score desc, metadata_modified desc" (the default when empty)
  std::string cursor;  // from a previous response's next_cursor; replaces start
  bool highlight = true;

  // Visibility: public datasets always; private ones of these organizations (ids) and these
  // datasets (ids: the caller's collaborations); all of them for a sysadmin.
  bool all_private = false;
  std::vector<std::string> private_org_ids;
  std::vector<std::string> private_dataset_ids;

  // Drafts and deleted datasets (CKAN's include_drafts / include_deleted), only those the caller
  // may edit: of these organizations (ids), these datasets (ids), or all (a sysadmin). Private
  // ones only with include_private (CKAN's +capacity:public otherwise).
  bool include_drafts = false;
  bool include_deleted = false;
  bool include_private = false;
  bool all_editable = false;
  std::vector<std::string> editable_org_ids;
  std::vector<std::string> editable_dataset_ids;

  // Turns the value of an `organization`, `owner_org` or `groups` filter into the form the index
  // holds (an organization's name or id, a group's name), so a filter may name the record by
  // any identifier the catalog knows (the API sets it: api/resolve.h). Unset: values as given.
  std::function<std::string(const std::string& field, const std::string& value)> canonical;
};

struct SearchHit {
  std::string package_json;  // the stored CKAN package dict
  std::string highlight;     // HTML-escaped text with <em> around what matched; may be empty
  double score = 0;
};

struct FacetItem {
  std::string name;
  std::string display_name;
  std::int64_t count = 0;
};

struct FacetResult {
  std::string field;
  std::vector<FacetItem> items;  // most frequent first
};

struct SearchResponse {
  std::int64_t count = 0;
  std::vector<SearchHit> results;
  std::vector<FacetResult> facets;  // in the order of facet_fields
  std::string sort;                 // the sort applied, normalised
  std::string next_cursor;          // empty when there is no next page
  std::string suggestion;           // a spelling suggestion when nothing was found
};

struct AutocompleteItem {
  std::string name;
  std::string title;
};

}  // namespace datamap::search
