// The record stores beside the catalog on PostgreSQL (schema step 4, pg_migrations.cpp), shared
// by every node of a cluster: link checks (pg_links.cpp; due_urls claims rows with FOR UPDATE
// SKIP LOCKED, so a URL is checked by one node) and the quality scoreboard's history
// (pg_quality_history.cpp; one snapshot a day whichever nodes take it). The harvest records'
// opener is in catalog/harvest_records.h, the demand records' in catalog/demand.h.
#pragma once

#include <memory>
#include <string>

#include "catalog/link_checks.h"
#include "catalog/quality_history.h"

namespace datamap::catalog {

// Opens the link records in the PostgreSQL catalog at `url` (migrating it when needed).
std::unique_ptr<LinkRecords> open_postgres_link_records(const std::string& url);
// Opens the quality history in the PostgreSQL catalog at `url` (migrating it when needed).
std::unique_ptr<QualityHistory> open_postgres_quality_history(const std::string& url);

}  // namespace datamap::catalog
