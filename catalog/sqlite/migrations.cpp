// HOW TO ADD A MIGRATION: append one entry to kSteps below with the next number and the SQL that
// takes the schema from the previous version to the new one. Never edit or reorder a step that
// has been landed on main: databases in the field have already run it. Each step runs in its own
// transaction together with the user_version bump, so a failed step leaves the previous version.
// Add a test in tests/catalog/ that opens a database built at the previous version.
#include "catalog/sqlite/migrations.h"

#include <stdexcept>

namespace datamap::catalog::sqlite {
namespace {

struct Step {
  int version;
  const char* summary;
  const char* sql;
};

// The whole Dataset lives in datasets.record (dataset_record.h); the typed columns beside it are
// what lookups, filters and counts need. Child tables point at datasets.pk, an integer, to keep
// the tag and group indexes small.
const Step kSteps[] = {
    {1, "datasets, resources, tags, groups, organizations, change log", R"sql(
CREATE TABLE datasets (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT 'dataset',
  state TEXT NOT NULL DEFAULT 'active',
  private INTEGER NOT NULL DEFAULT 0,
  owner_org TEXT NOT NULL DEFAULT '',
  source_key TEXT NOT NULL DEFAULT '',
  metadata_created TEXT NOT NULL DEFAULT '',
  metadata_modified TEXT NOT NULL DEFAULT '',
  record TEXT NOT NULL
);
CREATE INDEX datasets_source_key ON datasets(source_key);
CREATE INDEX datasets_state_org ON datasets(state, owner_org);
CREATE INDEX datasets_public_names ON datasets(name) WHERE state = 'active' AND private = 0;

CREATE TABLE resources (
  id TEXT PRIMARY KEY,
  dataset_pk INTEGER NOT NULL REFERENCES datasets(pk) ON DELETE CASCADE,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX resources_dataset ON resources(dataset_pk);

CREATE TABLE dataset_tags (
  dataset_pk INTEGER NOT NULL REFERENCES datasets(pk) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (dataset_pk, tag)
) WITHOUT ROWID;
CREATE INDEX dataset_tags_tag ON dataset_tags(tag);

CREATE TABLE dataset_groups (
  dataset_pk INTEGER NOT NULL REFERENCES datasets(pk) ON DELETE CASCADE,
  group_name TEXT NOT NULL,
  PRIMARY KEY (dataset_pk, group_name)
) WITHOUT ROWID;
CREATE INDEX dataset_groups_name ON dataset_groups(group_name);

CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL DEFAULT '',
  image_url TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active'
) WITHOUT ROWID;
CREATE INDEX organizations_code ON organizations(code);

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- AUTOINCREMENT: a revision number is never reused, even after the newest rows are gone.
CREATE TABLE changes (
  revision INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL
);
)sql"},
    {2, "users, memberships, API tokens (hashed), relationships", R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  fullname TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  sysadmin INTEGER NOT NULL DEFAULT 0,
  created TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active'
) WITHOUT ROWID;

CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, organization_id)
) WITHOUT ROWID;

-- Only the SHA-256 of a token's secret is stored; the secret itself is shown once and forgotten.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  secret_sha256 TEXT NOT NULL UNIQUE,
  created TEXT NOT NULL DEFAULT '',
  last_access TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE relationships (
  subject_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  object_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (subject_id, object_id, type)
) WITHOUT ROWID;
CREATE INDEX relationships_object ON relationships(object_id);
)sql"},
    {3, "dataset_tags.listed: public tag counts from one partial index", R"sql(
-- listed = the dataset is active and public. Kept on the tag rows so tag_list reads one small
-- covering index instead of joining every tag row to its dataset.
ALTER TABLE dataset_tags ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
UPDATE dataset_tags SET listed = 1
 WHERE dataset_pk IN (SELECT pk FROM datasets WHERE state = 'active' AND private = 0);
DROP INDEX dataset_tags_tag;
CREATE INDEX dataset_tags_listed ON dataset_tags(tag) WHERE listed = 1;
)sql"},
    {4, "public tag index covers the listed flag", R"sql(
-- SQLite only reads an index alone when it holds every column the query names, the partial
-- index's own condition included: without `listed` each tag row was looked up in the table.
DROP INDEX dataset_tags_listed;
CREATE INDEX dataset_tags_public ON dataset_tags(tag, listed) WHERE listed = 1;
)sql"},
    {5, "harvest sources, jobs, objects and provenances (catalog/harvest_records.h)", R"sql(
CREATE TABLE harvest_sources (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL,
  type TEXT NOT NULL,
  frequency TEXT NOT NULL DEFAULT 'MANUAL',
  config TEXT NOT NULL DEFAULT '',
  owner_org TEXT NOT NULL DEFAULT '',
  creator_user_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'active',
  created TEXT NOT NULL DEFAULT '',
  modified TEXT NOT NULL DEFAULT '',
  etag TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX harvest_sources_owner ON harvest_sources(owner_org);

-- rowid order is creation order: "newest first" needs no timestamp comparison.
CREATE TABLE harvest_jobs (
  id TEXT NOT NULL UNIQUE,
  source_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created TEXT NOT NULL DEFAULT '',
  started TEXT NOT NULL DEFAULT '',
  gather_finished TEXT NOT NULL DEFAULT '',
  finished TEXT NOT NULL DEFAULT '',
  since TEXT NOT NULL DEFAULT '',
  complete_listing INTEGER NOT NULL DEFAULT 0,
  not_modified INTEGER NOT NULL DEFAULT 0,
  gathered INTEGER NOT NULL DEFAULT 0,
  added INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  errored INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX harvest_jobs_source ON harvest_jobs(source_id);
CREATE INDEX harvest_jobs_status ON harvest_jobs(status);

CREATE TABLE harvest_objects (
  id TEXT NOT NULL UNIQUE,
  job_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  remote_id TEXT NOT NULL DEFAULT '',
  dataset_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  report_status TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL DEFAULT '',
  modified TEXT NOT NULL DEFAULT ''
);
CREATE INDEX harvest_objects_job ON harvest_objects(job_id, state);

CREATE TABLE harvest_provenances (
  source_id TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  landing TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  last_job_id TEXT NOT NULL DEFAULT '',
  owner INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (source_id, remote_id)
) WITHOUT ROWID;
CREATE INDEX harvest_provenances_dataset ON harvest_provenances(dataset_id);
CREATE INDEX harvest_provenances_landing ON harvest_provenances(landing) WHERE landing != '';
)sql"},
    {6, "console sessions (server-side, hashed ids; catalog/model.h ConsoleSession)", R"sql(
-- In the catalog, not in a node's memory: every node serving one catalog sees the same sessions,
-- and a sign-out on one is a sign-out on all. Only the SHA-256 of a session id is stored.
CREATE TABLE console_sessions (
  id_sha256 TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX console_sessions_user ON console_sessions(user_id);
)sql"},
    {7, "organization code (기관코드) unique; duplicates in old databases cleared and listed",
     R"sql(
-- Imports and sysadmin harvests file datasets under the organization holding a record's 기관코드,
-- so two organizations with one code let either capture the other's datasets. The oldest holder
-- (created, then id) keeps the code; the others lose it, each listed in cleared_organization_codes
-- (for the operator to settle) and logged as an organization update for the derived indexes.
CREATE TABLE cleared_organization_codes (
  organization_id TEXT NOT NULL,
  code TEXT NOT NULL,
  kept_by TEXT NOT NULL,
  cleared_at TEXT NOT NULL
);
INSERT INTO cleared_organization_codes (organization_id, code, kept_by, cleared_at)
SELECT o.id, o.code,
       (SELECT k.id FROM organizations k WHERE k.code = o.code ORDER BY k.created, k.id LIMIT 1),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
  FROM organizations o
 WHERE o.code != ''
   AND o.id != (SELECT k.id FROM organizations k WHERE k.code = o.code
                 ORDER BY k.created, k.id LIMIT 1);
UPDATE organizations SET code = ''
 WHERE id IN (SELECT organization_id FROM cleared_organization_codes);
INSERT INTO changes (entity, entity_id, kind, at)
SELECT 'organization', organization_id, 'update', cleared_at FROM cleared_organization_codes;
-- Partial, so any number of organizations may have no code; the full organizations_code index
-- stays for lookups by id, name or code (a partial one cannot serve `code = ?`).
CREATE UNIQUE INDEX organizations_code_unique ON organizations(code) WHERE code != '';
)sql"},
    {8, "link checks: checked URLs, their history, who names them (catalog/link_checks.h)",
     R"sql(
-- One row per URL however many resources name it. answer: 0 unknown, 1 answers, 2 broken;
-- streak: consecutive checks with that answer; next_check_at: Unix seconds.
CREATE TABLE link_urls (
  url TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  answer INTEGER NOT NULL DEFAULT 0,
  streak INTEGER NOT NULL DEFAULT 0,
  checks INTEGER NOT NULL DEFAULT 0,
  next_check_at INTEGER NOT NULL,
  checked_at TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  final_url TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  content_length INTEGER NOT NULL DEFAULT -1,
  response_ms INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX link_urls_due ON link_urls(next_check_at);
-- The last checks of each URL; seq counts the URL's checks (link_urls.checks).
CREATE TABLE link_history (
  url TEXT NOT NULL,
  seq INTEGER NOT NULL,
  checked_at TEXT NOT NULL,
  answer INTEGER NOT NULL,
  status INTEGER NOT NULL,
  error TEXT NOT NULL,
  message TEXT NOT NULL,
  final_url TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_length INTEGER NOT NULL,
  response_ms INTEGER NOT NULL,
  PRIMARY KEY (url, seq)
) WITHOUT ROWID;
-- Which dataset (resource_id '' = its landing page) names which URL.
CREATE TABLE link_targets (
  dataset_id TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  url TEXT NOT NULL,
  PRIMARY KEY (dataset_id, resource_id, url)
) WITHOUT ROWID;
CREATE INDEX link_targets_url ON link_targets(url, dataset_id);
-- Per dataset: how many of its links are unknown / broken, and the status last announced in
-- the change log (0 unknown, 1 answering, 2 broken).
CREATE TABLE link_datasets (
  dataset_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  owner_org TEXT NOT NULL,
  links INTEGER NOT NULL DEFAULT 0,
  unknown INTEGER NOT NULL DEFAULT 0,
  broken INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX link_datasets_org ON link_datasets(owner_org, name);
CREATE TABLE link_checker_state (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    {9, "quality scoreboard history: one snapshot a day per agency and national", R"sql(
-- catalog/quality_history.h. organization_id '' = the national figures; mean_percent_x100 is
-- the mean score in hundredths of a percent.
CREATE TABLE quality_history (
  organization_id TEXT NOT NULL,
  day TEXT NOT NULL,
  datasets INTEGER NOT NULL,
  mean_percent_x100 INTEGER NOT NULL,
  excellent INTEGER NOT NULL,
  good INTEGER NOT NULL,
  sufficient INTEGER NOT NULL,
  bad INTEGER NOT NULL,
  overdue INTEGER NOT NULL,
  broken_links INTEGER NOT NULL,
  checked_values INTEGER NOT NULL,
  invalid_values INTEGER NOT NULL,
  PRIMARY KEY (organization_id, day)
) WITHOUT ROWID;
CREATE INDEX quality_history_day ON quality_history(day);
)sql"},
    {10,
     "data requests, votes, comments (hidden + audit), error reports, notification outbox "
     "(catalog/demand.h)",
     R"sql(
-- search_text: no longer written or read (requests are searched through search/request_index.h);
-- left for a later step to drop, as DROP COLUMN rewrites the table.
CREATE TABLE data_requests (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL DEFAULT '',
  organization_id TEXT NOT NULL DEFAULT '',
  fields TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL,
  status TEXT NOT NULL,
  scheduled_date TEXT NOT NULL DEFAULT '',
  dataset_id TEXT NOT NULL DEFAULT '',
  refusal_reason TEXT NOT NULL DEFAULT '',
  legal_basis TEXT NOT NULL DEFAULT '',
  answer TEXT NOT NULL DEFAULT '',
  extended INTEGER NOT NULL DEFAULT 0,
  created TEXT NOT NULL,
  modified TEXT NOT NULL,
  closed_at TEXT NOT NULL DEFAULT '',
  votes INTEGER NOT NULL DEFAULT 0,
  comments INTEGER NOT NULL DEFAULT 0,
  search_text TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX data_requests_org ON data_requests(organization_id, status, created);
CREATE INDEX data_requests_created ON data_requests(created);
CREATE INDEX data_requests_dataset ON data_requests(dataset_id) WHERE dataset_id != '';
CREATE TABLE data_request_votes (
  request_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY (request_id, user_id)
) WITHOUT ROWID;
CREATE TABLE data_request_comments (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX data_request_comments_request ON data_request_comments(request_id, created);
-- Moderation is never forgotten: one row per hide or show, with who and why.
CREATE TABLE data_request_comment_audit (
  seq INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL,
  comment_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX data_request_comment_audit_request ON data_request_comment_audit(request_id, seq);
CREATE TABLE issue_reports (
  id TEXT PRIMARY KEY,
  dataset_id TEXT NOT NULL,
  resource_id TEXT NOT NULL DEFAULT '',
  organization_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL,
  modified TEXT NOT NULL,
  accepted_at TEXT NOT NULL DEFAULT '',
  closed_at TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX issue_reports_org ON issue_reports(organization_id, status, created);
CREATE INDEX issue_reports_dataset ON issue_reports(dataset_id, created);
CREATE TABLE notifications (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  email_state TEXT NOT NULL,
  created TEXT NOT NULL,
  read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications(user_id, seq);
)sql"},
    {11, "activity stream, follows, reuses (catalog/activity.h)", R"sql(
-- seq orders the stream (newest first = highest seq); timestamps can tie within a microsecond.
CREATE TABLE activities (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  timestamp TEXT NOT NULL,
  user_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  object_type TEXT NOT NULL,
  activity_type TEXT NOT NULL,
  owner_org TEXT NOT NULL,
  private INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX activities_object ON activities(object_id, seq);
CREATE INDEX activities_owner_org ON activities(owner_org, seq);
CREATE INDEX activities_user ON activities(user_id, seq);
CREATE INDEX activities_type ON activities(object_type, seq);
CREATE TABLE follows (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY (user_id, object_type, object_id)
) WITHOUT ROWID;
CREATE INDEX follows_object ON follows(object_type, object_id);
CREATE TABLE reuses (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
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
  reuse_pk INTEGER NOT NULL REFERENCES reuses(pk) ON DELETE CASCADE,
  dataset_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (reuse_pk, dataset_id)
) WITHOUT ROWID;
CREATE INDEX reuse_datasets_dataset ON reuse_datasets(dataset_id, reuse_pk);
)sql"},
    {12, "group state (group_delete) and dataset collaborators (package_collaborator_*)", R"sql(
ALTER TABLE groups ADD COLUMN state TEXT NOT NULL DEFAULT 'active';
-- CKAN's package_member: a user's capacity (editor | member) on one dataset.
CREATE TABLE dataset_collaborators (
  dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  capacity TEXT NOT NULL,
  modified TEXT NOT NULL,
  PRIMARY KEY (dataset_id, user_id)
) WITHOUT ROWID;
CREATE INDEX dataset_collaborators_user ON dataset_collaborators(user_id);
)sql"},
    {13, "activities of data requests and error reports; e-mail delivery state of the outbox",
     R"sql(
-- The dataset an error report's activity concerns ('' for every other activity).
ALTER TABLE activities ADD COLUMN dataset_id TEXT NOT NULL DEFAULT '';
CREATE INDEX activities_dataset ON activities(dataset_id, seq) WHERE dataset_id != '';
-- The mailer's bookkeeping per outbox row (catalog/outbox.h): attempts made, the next attempt's
-- time (Unix seconds), the last error (secrets redacted) and when it was sent.
ALTER TABLE notifications ADD COLUMN email_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN email_next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN email_error TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN email_sent_at TEXT NOT NULL DEFAULT '';
CREATE INDEX notifications_mail_due ON notifications(email_next_at, seq)
  WHERE email_state IN ('queued', 'retrying');
)sql"},
};

}  // namespace

int latest_schema_version() {
  return kSteps[std::size(kSteps) - 1].version;
}

int schema_version(Connection& c) {
  return static_cast<int>(c.pragma_integer("user_version"));
}

void migrate(Connection& c, int target) {
  const int latest = latest_schema_version();
  if (target < 0) target = latest;
  auto refuse_newer = [&](int found) {
    if (found > latest)
      throw std::runtime_error("the catalog database has schema version " + std::to_string(found) +
                               ", newer than this datamap build supports (" +
                               std::to_string(latest) + "); upgrade datamap to open it");
  };
  refuse_newer(schema_version(c));
  for (const Step& step : kSteps) {
    if (step.version > target) break;
    // Re-read the version under the write lock: another process may have migrated meanwhile.
    c.exec("BEGIN IMMEDIATE");
    try {
      int current = schema_version(c);
      refuse_newer(current);
      if (current < step.version) {
        if (current != step.version - 1)
          throw std::runtime_error("schema version " + std::to_string(current) +
                                   " has no migration to " + std::to_string(step.version));
        c.exec(step.sql);
        // The number comes from kSteps, never from input.
        c.exec(("PRAGMA user_version = " + std::to_string(step.version)).c_str());
      }
      c.exec("COMMIT");
    } catch (...) {
      sqlite3_exec(c.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

}  // namespace datamap::catalog::sqlite
