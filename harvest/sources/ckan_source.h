// `ckan`: a remote CKAN Action API, read through package_search pages of `rows` (config,
// default 100) package dicts, mapped by the importer's CKAN mapping.
//
// Order and paging: sort "metadata_modified asc, id asc" with keyset paging on
// metadata_modified (fq=metadata_modified:[B TO *], start = how many records at exactly B were
// already read). Unlike plain start/rows offsets, a dataset modified or deleted on the remote
// while we page cannot shift the pages and make us skip a record; a modified one moves to the end
// and is read again (harmless). The same order makes an incremental job a suffix of a full
// one: it starts from the last successful job's start time minus an overlap (config
// `overlap_minutes`, default 120, for clock skew and in-flight commits).
//
// Deletions: a full job saw everything. An incremental job then lists the remote's ids only
// (fl=id, keyset on id) to learn which records still exist; what the remote no longer lists is
// deleted here. A page that repeats or paging that never ends fails the job.
#pragma once

#include "harvest/sources/source_type.h"

namespace datamap::harvest {

class CkanSource : public SourceType {
 public:
  GatherResult gather(GatherContext& ctx, const ItemSink& sink) override;
};

// The package_search endpoint for a CKAN site root or an explicit action URL.
std::string ckan_package_search_url(const std::string& source_url);

// "2019-01-18T12:34:56.123456" -> "2019-01-18T12:34:56.123Z", "…56" -> "…56.000Z": Solr keeps
// milliseconds, so bounds and ties are compared at that precision, always in this one form.
std::string solr_time(const std::string& ckan_time);

}  // namespace datamap::harvest
