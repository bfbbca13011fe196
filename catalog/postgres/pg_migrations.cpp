// HOW TO ADD A MIGRATION: append one entry to kSteps with the next number. Never edit or reorder
// a step that has landed on main. PostgreSQL's numbering is its own: step N here is not step N of
// catalog/sqlite/migrations.cpp (the SQLite schema carries history this one never had), but each
// step says which SQLite steps it covers, so the two schemas can be compared.
#include "catalog/postgres/pg_migrations.h"

#include <iterator>

namespace datamap::catalog::postgres {
namespace {

struct Step {
  int version;
  const char* summary;
  const char* sql;
};

// The advisory lock key every migrator takes (any constant; "dmap" in ASCII).
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(1684893040)";

// Text columns that are sorted or compared by range are COLLATE "C": byte order, as SQLite's
// BINARY, so both backends list in the same order whatever locale the database was created with.
const Step kSteps[] = {
    {1,
     "datasets, resources, tags, groups, organizations, users, memberships, tokens, "
     "relationships, console sessions, collaborators, change log (SQLite steps 1-4, 6, 7, 12)",
     R"sql(
CREATE TABLE datasets (
  pk BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT 'dataset',
  state TEXT NOT NULL DEFAULT 'active',
  private BOOLEAN NOT NULL DEFAULT FALSE,
  owner_org TEXT COLLATE "C" NOT NULL DEFAULT '',
  source_key TEXT NOT NULL DEFAULT '',
  metadata_created TEXT NOT NULL DEFAULT '',
  metadata_modified TEXT NOT NULL DEFAULT '',
  views BIGINT NOT NULL DEFAULT 0,
  -- The whole Dataset (catalog/sqlite/dataset_record.h, shared by both backends). TEXT, not
  -- JSONB: the record escapes a NUL as \u0000, which JSONB refuses.
  record TEXT NOT NULL
);
-- Whole, not partial (WHERE source_key <> ''): a prepared lookup's generic plan cannot know its
-- parameter is non-empty and would scan the table instead (306 lookups/s at 20k datasets).
CREATE INDEX datasets_source_key ON datasets(source_key);
CREATE INDEX datasets_state_org ON datasets(state, owner_org);
CREATE INDEX datasets_public_names ON datasets(name) WHERE state = 'active' AND NOT private;

CREATE TABLE resources (
  id TEXT COLLATE "C" PRIMARY KEY,
  dataset_pk BIGINT NOT NULL REFERENCES datasets(pk) ON DELETE CASCADE,
  position INTEGER NOT NULL
);
CREATE INDEX resources_dataset ON resources(dataset_pk);

-- listed = the dataset is active and public (public tag counts read only those rows).
CREATE TABLE dataset_tags (
  dataset_pk BIGINT NOT NULL REFERENCES datasets(pk) ON DELETE CASCADE,
  tag TEXT COLLATE "C" NOT NULL,
  listed BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (dataset_pk, tag)
);
CREATE INDEX dataset_tags_public ON dataset_tags(tag) WHERE listed;

CREATE TABLE dataset_groups (
  dataset_pk BIGINT NOT NULL REFERENCES datasets(pk) ON DELETE CASCADE,
  group_name TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (dataset_pk, group_name)
);
CREATE INDEX dataset_groups_name ON dataset_groups(group_name);

CREATE TABLE organizations (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL DEFAULT '',
  image_url TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active'
);
CREATE INDEX organizations_code ON organizations(code);
CREATE UNIQUE INDEX organizations_code_unique ON organizations(code) WHERE code <> '';

CREATE TABLE groups (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active'
);

-- The change log followers read. Writers hold one advisory lock from BEGIN to COMMIT
-- (pg_store.cpp) and number each row the newest + 1 (pg_transaction.cpp), not from a sequence:
-- revisions become visible in the order they were numbered (a follower that has read revision n
-- never later finds a committed one below n), and a rolled-back write leaves no gap, as on SQLite.
CREATE TABLE changes (
  revision BIGINT PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  fullname TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  sysadmin BOOLEAN NOT NULL DEFAULT FALSE,
  created TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active'
);

CREATE TABLE memberships (
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  organization_id TEXT COLLATE "C" NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX memberships_organization ON memberships(organization_id);

-- Only the SHA-256 of a token's secret is stored.
CREATE TABLE api_tokens (
  id TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  secret_sha256 TEXT NOT NULL UNIQUE,
  created TEXT COLLATE "C" NOT NULL DEFAULT '',
  last_access TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE relationships (
  subject_id TEXT COLLATE "C" NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  object_id TEXT COLLATE "C" NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  type TEXT COLLATE "C" NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (subject_id, object_id, type)
);
CREATE INDEX relationships_object ON relationships(object_id);

CREATE TABLE console_sessions (
  id_sha256 TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_id TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  idle_expires_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions(user_id);

CREATE TABLE dataset_collaborators (
  dataset_id TEXT COLLATE "C" NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  capacity TEXT NOT NULL,
  modified TEXT NOT NULL,
  PRIMARY KEY (dataset_id, user_id)
);
CREATE INDEX dataset_collaborators_user ON dataset_collaborators(user_id);
)sql"},
    {2, "activity stream, follows, reuses (SQLite steps 11 and 13's activities.dataset_id)",
     R"sql(
-- seq orders the stream (newest first = highest seq); timestamps can tie within a microsecond.
-- Taken under the catalog's write lock, so seq order is commit order on every node.
CREATE TABLE activities (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  timestamp TEXT NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  object_id TEXT COLLATE "C" NOT NULL,
  object_type TEXT NOT NULL,
  activity_type TEXT NOT NULL,
  owner_org TEXT COLLATE "C" NOT NULL,
  private BOOLEAN NOT NULL,
  data TEXT NOT NULL,
  -- The dataset an error report's activity concerns ('' for every other activity).
  dataset_id TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX activities_object ON activities(object_id, seq);
CREATE INDEX activities_owner_org ON activities(owner_org, seq);
CREATE INDEX activities_user ON activities(user_id, seq);
CREATE INDEX activities_type ON activities(object_type, seq);
CREATE INDEX activities_dataset ON activities(dataset_id, seq) WHERE dataset_id <> '';

CREATE TABLE follows (
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  object_type TEXT COLLATE "C" NOT NULL,
  object_id TEXT COLLATE "C" NOT NULL,
  created TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (user_id, object_type, object_id)
);
CREATE INDEX follows_object ON follows(object_type, object_id);

CREATE TABLE reuses (
  pk BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  image_url TEXT NOT NULL,
  type TEXT NOT NULL,
  creator_user_id TEXT NOT NULL,
  created TEXT NOT NULL,
  modified TEXT NOT NULL
);
CREATE TABLE reuse_datasets (
  reuse_pk BIGINT NOT NULL REFERENCES reuses(pk) ON DELETE CASCADE,
  dataset_id TEXT COLLATE "C" NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (reuse_pk, dataset_id)
);
CREATE INDEX reuse_datasets_dataset ON reuse_datasets(dataset_id, reuse_pk);
)sql"},
    {3,
     "data requests, votes, comments and their audit, error reports, notifications and their "
     "e-mail state (SQLite steps 10 and 13; catalog/demand.h, catalog/outbox.h)",
     R"sql(
CREATE TABLE data_requests (
  id TEXT COLLATE "C" PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL DEFAULT '',
  organization_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  fields TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  user_id TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  scheduled_date TEXT NOT NULL DEFAULT '',
  dataset_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  refusal_reason TEXT NOT NULL DEFAULT '',
  legal_basis TEXT NOT NULL DEFAULT '',
  answer TEXT NOT NULL DEFAULT '',
  extended BOOLEAN NOT NULL DEFAULT FALSE,
  created TEXT COLLATE "C" NOT NULL,
  modified TEXT COLLATE "C" NOT NULL,
  closed_at TEXT NOT NULL DEFAULT '',
  votes BIGINT NOT NULL DEFAULT 0,
  comments BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX data_requests_org ON data_requests(organization_id, status, created);
CREATE INDEX data_requests_created ON data_requests(created);
CREATE INDEX data_requests_dataset ON data_requests(dataset_id) WHERE dataset_id <> '';
CREATE TABLE data_request_votes (
  request_id TEXT COLLATE "C" NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  created TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (request_id, user_id)
);
CREATE TABLE data_request_comments (
  id TEXT COLLATE "C" PRIMARY KEY,
  request_id TEXT COLLATE "C" NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  text TEXT NOT NULL,
  created TEXT COLLATE "C" NOT NULL,
  hidden BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX data_request_comments_request ON data_request_comments(request_id, created);
CREATE TABLE data_request_comment_audit (
  seq BIGSERIAL PRIMARY KEY,
  request_id TEXT COLLATE "C" NOT NULL,
  comment_id TEXT COLLATE "C" NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX data_request_comment_audit_request ON data_request_comment_audit(request_id, seq);
CREATE TABLE issue_reports (
  id TEXT COLLATE "C" PRIMARY KEY,
  dataset_id TEXT COLLATE "C" NOT NULL,
  resource_id TEXT NOT NULL DEFAULT '',
  organization_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  created TEXT COLLATE "C" NOT NULL,
  modified TEXT COLLATE "C" NOT NULL,
  accepted_at TEXT NOT NULL DEFAULT '',
  closed_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX issue_reports_org ON issue_reports(organization_id, status, created);
CREATE INDEX issue_reports_dataset ON issue_reports(dataset_id, created);
CREATE TABLE notifications (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  user_id TEXT COLLATE "C" NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  email_state TEXT NOT NULL,
  created TEXT NOT NULL,
  read BOOLEAN NOT NULL DEFAULT FALSE,
  email_attempts BIGINT NOT NULL DEFAULT 0,
  email_next_at BIGINT NOT NULL DEFAULT 0,
  email_error TEXT NOT NULL DEFAULT '',
  email_sent_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_user ON notifications(user_id, seq);
CREATE INDEX notifications_mail_due ON notifications(email_next_at, seq)
  WHERE email_state IN ('queued', 'retrying');
)sql"},
    {4,
     "link checks, the quality scoreboard's history, harvest sources, jobs (with their claim), "
     "objects and provenances (SQLite steps 5, 8, 9; catalog/link_checks.h, quality_history.h, "
     "harvest_records.h)",
     R"sql(
-- One row per URL however many resources name it. answer: 0 unknown, 1 answers, 2 broken;
-- streak: consecutive checks with that answer; next_check_at: Unix seconds.
CREATE TABLE link_urls (
  url TEXT COLLATE "C" PRIMARY KEY,
  host TEXT COLLATE "C" NOT NULL,
  answer INTEGER NOT NULL DEFAULT 0,
  streak INTEGER NOT NULL DEFAULT 0,
  checks BIGINT NOT NULL DEFAULT 0,
  next_check_at BIGINT NOT NULL,
  checked_at TEXT NOT NULL DEFAULT '',
  status BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  final_url TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  content_length BIGINT NOT NULL DEFAULT -1,
  response_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX link_urls_due ON link_urls(next_check_at, url);
-- The last checks of each URL; seq counts the URL's checks (link_urls.checks).
CREATE TABLE link_history (
  url TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  checked_at TEXT NOT NULL,
  answer INTEGER NOT NULL,
  status BIGINT NOT NULL,
  error TEXT NOT NULL,
  message TEXT NOT NULL,
  final_url TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_length BIGINT NOT NULL,
  response_ms BIGINT NOT NULL,
  PRIMARY KEY (url, seq)
);
-- Which dataset (resource_id '' = its landing page) names which URL.
CREATE TABLE link_targets (
  dataset_id TEXT COLLATE "C" NOT NULL,
  resource_id TEXT COLLATE "C" NOT NULL,
  url TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (dataset_id, resource_id, url)
);
CREATE INDEX link_targets_url ON link_targets(url, dataset_id);
-- Per dataset: how many of its links are unknown / broken, and the status last announced in
-- the change log (0 unknown, 1 answering, 2 broken).
CREATE TABLE link_datasets (
  dataset_id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  owner_org TEXT COLLATE "C" NOT NULL,
  links BIGINT NOT NULL DEFAULT 0,
  unknown BIGINT NOT NULL DEFAULT 0,
  broken BIGINT NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX link_datasets_org ON link_datasets(owner_org, name);
CREATE TABLE link_checker_state (
  key TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);

-- organization_id '' = the national figures; mean_percent_x100 in hundredths of a percent.
CREATE TABLE quality_history (
  organization_id TEXT COLLATE "C" NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  datasets BIGINT NOT NULL,
  mean_percent_x100 BIGINT NOT NULL,
  excellent BIGINT NOT NULL,
  good BIGINT NOT NULL,
  sufficient BIGINT NOT NULL,
  bad BIGINT NOT NULL,
  overdue BIGINT NOT NULL,
  broken_links BIGINT NOT NULL,
  checked_values BIGINT NOT NULL,
  invalid_values BIGINT NOT NULL,
  PRIMARY KEY (organization_id, day)
);
CREATE INDEX quality_history_day ON quality_history(day);

CREATE TABLE harvest_sources (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL,
  type TEXT NOT NULL,
  frequency TEXT NOT NULL DEFAULT 'MANUAL',
  config TEXT NOT NULL DEFAULT '',
  owner_org TEXT COLLATE "C" NOT NULL DEFAULT '',
  creator_user_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active',
  created TEXT NOT NULL DEFAULT '',
  modified TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT ''
);
CREATE INDEX harvest_sources_owner ON harvest_sources(owner_org);
-- seq order is creation order (SQLite's rowid). A Running job is claimed by one process
-- (claimed_by) until claimed_until (Unix seconds), a lease its harvester renews while the job
-- runs; a job whose lease lapsed (its node died) is failed by the next harvester that looks.
CREATE TABLE harvest_jobs (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  source_id TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL,
  created TEXT COLLATE "C" NOT NULL DEFAULT '',
  started TEXT NOT NULL DEFAULT '',
  gather_finished TEXT NOT NULL DEFAULT '',
  finished TEXT NOT NULL DEFAULT '',
  since TEXT NOT NULL DEFAULT '',
  complete_listing BOOLEAN NOT NULL DEFAULT FALSE,
  not_modified BOOLEAN NOT NULL DEFAULT FALSE,
  gathered BIGINT NOT NULL DEFAULT 0,
  added BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  unchanged BIGINT NOT NULL DEFAULT 0,
  deleted BIGINT NOT NULL DEFAULT 0,
  errored BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  claimed_by TEXT NOT NULL DEFAULT '',
  claimed_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX harvest_jobs_source ON harvest_jobs(source_id, seq);
CREATE INDEX harvest_jobs_open ON harvest_jobs(status, seq) WHERE status IN ('New', 'Running');
CREATE TABLE harvest_objects (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  job_id TEXT COLLATE "C" NOT NULL,
  source_id TEXT COLLATE "C" NOT NULL,
  remote_id TEXT NOT NULL DEFAULT '',
  dataset_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  report_status TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT '',
  modified TEXT NOT NULL DEFAULT ''
);
CREATE INDEX harvest_objects_job ON harvest_objects(job_id, state, seq);
CREATE INDEX harvest_objects_source ON harvest_objects(source_id);
CREATE TABLE harvest_provenances (
  source_id TEXT COLLATE "C" NOT NULL,
  remote_id TEXT COLLATE "C" NOT NULL,
  dataset_id TEXT COLLATE "C" NOT NULL,
  landing TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  last_job_id TEXT NOT NULL DEFAULT '',
  owner BOOLEAN NOT NULL DEFAULT TRUE,
  PRIMARY KEY (source_id, remote_id)
);
CREATE INDEX harvest_provenances_dataset ON harvest_provenances(dataset_id);
CREATE INDEX harvest_provenances_landing ON harvest_provenances(landing) WHERE landing <> '';
)sql"},
    {5,
     "DataStore load jobs (with their claim), fetch validators and the uploaded files shared by "
     "every node (no SQLite step: on SQLite they are <data dir>/datastore_jobs.db and files/; "
     "datastore/load_jobs.h, datastore/file_store.h)",
     R"sql(
-- seq order is creation order. A running job is claimed by one node (claimed_by) until
-- claimed_until (Unix seconds), a lease its worker renews while the load runs; a job whose lease
-- lapsed (its node died) is interrupted and queued again by the next node that looks.
CREATE TABLE datastore_load_jobs (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  resource_id TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL,
  file_path TEXT NOT NULL DEFAULT '',
  file_hash TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  rows_done BIGINT NOT NULL DEFAULT 0,
  total_rows BIGINT NOT NULL DEFAULT -1,
  error TEXT NOT NULL DEFAULT '',
  error_line BIGINT NOT NULL DEFAULT 0,
  error_column BIGINT NOT NULL DEFAULT 0,
  created TEXT NOT NULL DEFAULT '',
  started TEXT NOT NULL DEFAULT '',
  finished TEXT NOT NULL DEFAULT '',
  phase TEXT NOT NULL DEFAULT '',
  claimed_by TEXT NOT NULL DEFAULT '',
  claimed_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX datastore_load_jobs_resource ON datastore_load_jobs(resource_id, seq);
CREATE INDEX datastore_load_jobs_open ON datastore_load_jobs(status, seq)
  WHERE status IN ('pending', 'running');
CREATE TABLE datastore_fetch_validators (
  resource_id TEXT COLLATE "C" PRIMARY KEY,
  url TEXT NOT NULL,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  file_hash TEXT NOT NULL
);
-- An uploaded (or fetched) file's bytes as one large object, by the SHA-256 of its content; a
-- node's <data dir>/files is a cache of them. resource_key: the SHA-256 of the resource id
-- holding the reference (as the file names of files/refs/ on one node).
CREATE TABLE datastore_files (
  sha256 TEXT COLLATE "C" PRIMARY KEY,
  blob OID NOT NULL,
  size BIGINT NOT NULL,
  created TEXT NOT NULL DEFAULT ''
);
CREATE TABLE datastore_file_refs (
  sha256 TEXT COLLATE "C" NOT NULL REFERENCES datastore_files(sha256),
  resource_key TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (sha256, resource_key)
);
)sql"},
    {6,
     "per-token daily usage and the shared rate-limit buckets (no SQLite step: one node keeps "
     "them in memory; api/quota.h, api/shared_limits.h, catalog/request_limits.h)",
     R"sql(
-- One row per token and UTC day it was used: what the daily quota counts and api_token_usage
-- shows. Kept (a row a token a day is small): requests_total sums them.
CREATE TABLE token_usage (
  token_id TEXT COLLATE "C" NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  requests BIGINT NOT NULL DEFAULT 0,
  refused BIGINT NOT NULL DEFAULT 0,
  last_request TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (token_id, day)
);
-- The cluster's token buckets (rate limits per address, per-second quotas per token): tokens
-- as of updated_at, refilled at rate per second up to capacity. UNLOGGED: no WAL for a table
-- written several times a second that a crash may lose (every bucket then starts full again).
-- A bucket that has refilled is deleted: it is the same as none.
CREATE UNLOGGED TABLE limit_buckets (
  key TEXT COLLATE "C" PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  rate DOUBLE PRECISION NOT NULL,
  capacity DOUBLE PRECISION NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX limit_buckets_updated ON limit_buckets(updated_at);
)sql"},
};

void refuse_newer(int found) {
  if (found > latest_schema_version())
    throw std::runtime_error("the PostgreSQL catalog has schema version " + std::to_string(found) +
                             ", newer than this datamap build supports (" +
                             std::to_string(latest_schema_version()) +
                             "); upgrade datamap to open it");
}

}  // namespace

int latest_schema_version() {
  return kSteps[std::size(kSteps) - 1].version;
}

int schema_version(Connection& c) {
  if (!c.exec("SELECT to_regclass('datamap_schema') IS NOT NULL").boolean(0, 0)) return 0;
  Result r = c.exec("SELECT version FROM datamap_schema");
  return r.empty() ? 0 : static_cast<int>(r.integer(0, 0));
}

void migrate(Connection& c) {
  // Under the lock too: two nodes creating it at once would clash in the system catalog.
  {
    TransactionScope tx(c);
    c.script(kLockMigrations);
    c.script("CREATE TABLE IF NOT EXISTS datamap_schema (version INTEGER NOT NULL)");
    tx.commit();
  }
  // Steps follow each other: each needs the schema at the one before it.
  for (const Step& step : kSteps) {
    TransactionScope tx(c);
    c.script(kLockMigrations);
    Result r = c.exec("SELECT version FROM datamap_schema");
    int current = r.empty() ? 0 : static_cast<int>(r.integer(0, 0));
    refuse_newer(current);
    if (current < step.version) {
      if (current != step.version - 1)
        throw std::runtime_error("schema version " + std::to_string(current) +
                                 " has no migration to " + std::to_string(step.version));
      c.script(step.sql);
      if (r.empty())
        c.exec("INSERT INTO datamap_schema (version) VALUES ($1)", step.version);
      else
        c.exec("UPDATE datamap_schema SET version = $1", step.version);
    }
    tx.commit();
  }
  Result r = c.exec("SELECT version FROM datamap_schema");
  if (!r.empty()) refuse_newer(static_cast<int>(r.integer(0, 0)));
}

}  // namespace datamap::catalog::postgres
