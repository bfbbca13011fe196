// The catalog's storage contract. Only catalog/ stores data; search/ and graph/ derive from it by
// following the change log (changes_since), and api/ reads and writes through it.
//
// Thread safety: every method may be called from any thread. Reads see the last committed state.
// Writes happen only inside write(): one transaction, all or nothing, and every create, update
// and delete in it appends one change-log row in that same transaction, so a revision exists if
// and only if its change is committed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/activity.h"
#include "catalog/demand_ranking.h"
#include "catalog/link_checks.h"
#include "catalog/model.h"
#include "catalog/visibility.h"

namespace datamap::catalog {

// Writes inside one transaction. Reads through it see the transaction's own writes.
// Ids are filled in by the caller (see ids.h); timestamps metadata_created / metadata_modified
// are set by the store. A unique-name clash throws ValidationError{"name": [...]}.
// A method that throws ValidationError or NotFound has written nothing: the caller may catch it
// and go on (an importer skipping one bad row) or let it propagate to roll back the whole write.
// Change-log entities: "dataset", "organization", "group", "user", "api_token", and
// "relationship" (its id is the subject dataset's id: re-read relationships(id)).
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual std::optional<Dataset> find_dataset(std::string_view ref) = 0;  // id, name or source_key
  // Sets d's metadata timestamps; fills an empty d.id and empty resource ids, and sets each
  // resource's package_id. A resource id another dataset uses: ValidationError{"resources"}.
  virtual void insert_dataset(Dataset& d) = 0;
  // Replaces the whole record, resources included; matched by d.id (NotFound if unknown).
  // Keeps the stored metadata_created.
  virtual void update_dataset(Dataset& d) = 0;
  // By id (NotFound if unknown). CKAN semantics: state becomes "deleted".
  virtual void delete_dataset(std::string_view id) = 0;
  // By id (NotFound if unknown): gone for good with its resources and relationships (sysadmin).
  virtual void purge_dataset(std::string_view id) = 0;

  virtual std::optional<Organization> find_organization(std::string_view ref) = 0;
  // Insert or update by id (an empty id gets a new one; an empty `created` is set or kept).
  // `code` (기관코드) is unique when non-empty: another organization's code throws
  // ValidationError{"code"}, as a name clash throws ValidationError{"name"}.
  virtual void put_organization(Organization& o) = 0;
  virtual std::optional<Group> find_group(std::string_view ref) = 0;
  virtual void put_group(Group& g) = 0;
  // By id (NotFound if unknown): the row goes for good, with the users' memberships of the
  // organization; its datasets are the caller's business (CKAN refuses while it has any).
  virtual void purge_organization(std::string_view id);
  // By id (NotFound if unknown): the row goes for good; datasets naming it are the caller's
  // business (update them first: they store groups by name).
  virtual void purge_group(std::string_view id);
  // Insert or replace by (dataset_id, user_id), setting `modified`; NotFound if the user is
  // unknown. Collaborators go with their dataset (purge) and their user.
  virtual void put_collaborator(Collaborator& c);
  virtual void delete_collaborator(std::string_view dataset_id,
                                   std::string_view user_id);  // NotFound

  // By id or name, as the transaction sees it: read-check-write of a user (memberships, profile)
  // happens in one write() so two concurrent changes never lose one.
  virtual std::optional<User> find_user(std::string_view ref) = 0;
  virtual void put_user(User& u) = 0;  // memberships are replaced by u.memberships
  // t.id required; NotFound if t.user_id is unknown. Only the hash is ever stored.
  virtual void add_token(const ApiToken& t, std::string_view secret_sha256_hex) = 0;
  virtual void revoke_token(std::string_view token_id) = 0;  // deleted, as CKAN does; NotFound

  virtual void put_relationship(const Relationship& r) = 0;     // NotFound if a dataset is unknown
  virtual void delete_relationship(const Relationship& r) = 0;  // matches subject, object, type

  // ---- console sessions. Security state, not catalog content: these writes append no
  // change-log row. A user's sessions also end when any of the user's tokens is revoked, when
  // put_user stores a state other than "active", and with the user.
  // NotFound if s.user_id is unknown; only the hash of the session id is ever stored.
  virtual void add_session(const ConsoleSession& s, std::string_view id_sha256_hex) = 0;
  virtual void touch_session(std::string_view id_sha256_hex, std::int64_t idle_expires_at) = 0;
  virtual void delete_session(std::string_view id_sha256_hex) = 0;  // gone already: no error
  // Deletes the sessions that ended at or before `now` (Unix seconds); returns how many.
  virtual std::int64_t delete_expired_sessions(std::int64_t now) = 0;

  // ---- activity, follows, reuses (catalog/activity.h). A store without them records no
  // activity and refuses the writes with std::logic_error.
  // The user the transaction's changes are recorded as made by (their activities' user_id).
  virtual void set_actor(std::string_view /*user_id*/) {}
  // False when f.user_id already follows the object (nothing written).
  virtual bool follow(const Follow& f);
  // False when the user did not follow it.
  virtual bool unfollow(const Follow& f);
  // Insert or update by id (an empty id gets a new one); created / modified are set here.
  // NotFound if a dataset id is unknown.
  virtual void put_reuse(Reuse& r);
  virtual void delete_reuse(std::string_view id);  // NotFound if unknown
  // An activity of something the Transaction does not write itself (a data request's or an
  // error report's, catalog/demand_activity.h), named as the actor's; fills id and timestamp.
  virtual void record_activity(Activity& a);
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn in one transaction; commits if it returns, rolls back if it throws (and rethrows).
  // Writes are serialised. Calling write() from inside fn throws std::logic_error.
  virtual void write(const std::function<void(Transaction&)>& fn) = 0;

  // ---- datasets
  // By id, name or source_key. Deleted datasets are returned too (state says so); callers decide.
  virtual std::optional<Dataset> dataset(std::string_view ref) = 0;
  virtual std::optional<Resource> resource(std::string_view id) = 0;
  // Names of active public datasets, sorted by name (CKAN package_list).
  virtual std::vector<std::string> dataset_names(std::int64_t offset, std::int64_t limit) = 0;
  virtual std::int64_t count_datasets() = 0;  // active, private included
  // Streams every active dataset (private included) in id order, without holding them all.
  virtual void for_each_dataset(const std::function<void(const Dataset&)>& fn) = 0;
  // Ids of every dataset: active ones (private included) most viewed first, ties by id, then
  // drafts and deleted ones by id (search indexes them too). The default: active ones only.
  virtual std::vector<std::string> dataset_ids_by_views();
  // The datasets with these ids, in the order given (unknown ids skipped). The default asks
  // dataset() for each.
  virtual void for_each_dataset_of(std::span<const std::string> ids,
                                   const std::function<void(const Dataset&)>& fn);

  // ---- organizations, groups, tags, licenses
  virtual std::optional<Organization> organization(std::string_view ref) = 0;  // id, name or code
  virtual std::vector<Organization> organizations() = 0;                       // sorted by name
  virtual std::optional<Group> group(std::string_view ref) = 0;
  virtual std::vector<Group> groups() = 0;
  // Active dataset counts keyed by organization id / group name, sorted by key, as `reader` may
  // see them (CKAN's package_count): every public dataset, and the private ones of the
  // organizations the reader belongs to (all of them for Visibility::everything()).
  virtual std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_organization(
      const Visibility& reader) = 0;
  virtual std::vector<std::pair<std::string, std::int64_t>> dataset_counts_by_group(
      const Visibility& reader) = 0;
  // Tags of active public datasets with their counts, most used first; `query` filters by prefix.
  virtual std::vector<std::pair<std::string, std::int64_t>> tags(std::string_view query,
                                                                 std::int64_t limit) = 0;
  virtual std::vector<License> licenses() = 0;

  // ---- users and tokens
  virtual std::optional<User> user(std::string_view ref) = 0;  // id or name
  // The users with a role in organization `organization_id`, sorted by name (CKAN's
  // organization_show include_users).
  virtual std::vector<User> members(std::string_view organization_id) = 0;
  // Every user (any state), sorted by name, without memberships (user_list). Default: none.
  virtual std::vector<User> users();
  // The collaborators of one dataset, by user id. Default: none.
  virtual std::vector<Collaborator> collaborators(std::string_view dataset_id);
  // Ids of the active datasets (private included) filed under the group named `group_name`,
  // sorted. The default streams every dataset.
  virtual std::vector<std::string> dataset_ids_in_group(std::string_view group_name);
  virtual std::optional<User> user_for_token(std::string_view secret_sha256_hex) = 0;
  virtual std::vector<ApiToken> tokens(std::string_view user_id) = 0;  // revoked ones are gone
  // The session whose id hashes to this, expired or not (the caller compares the times).
  virtual std::optional<ConsoleSession> console_session(std::string_view id_sha256_hex) = 0;

  // ---- relationships
  virtual std::vector<Relationship> relationships(std::string_view dataset_id) = 0;  // either side
  virtual void for_each_relationship(const std::function<void(const Relationship&)>& fn) = 0;

  // ---- link checks (written by the link checker through catalog::LinkRecords)
  // What the quality score reads: result[i] is urls[i]'s answer at its last check (kUnknown
  // when never checked). The default knows of no checks.
  virtual std::vector<LinkAnswer> link_answers(std::span<const std::string> urls);

  // ---- activity, follows, reuses (catalog/activity.h); the defaults know of none.
  // The activities `q` asks for that `reader` may see, newest first: an activity of a private
  // dataset (private then, or now) only to the readers of its organization's private datasets.
  virtual std::vector<Activity> activities(const ActivityQuery& q, const Visibility& reader);
  virtual std::int64_t follower_count(std::string_view object_type, std::string_view object_id);
  virtual bool is_following(std::string_view user_id, std::string_view object_type,
                            std::string_view object_id);
  virtual std::vector<Follow> followees(std::string_view user_id);  // newest first
  // The ids of the users following an object, oldest follow first.
  virtual std::vector<std::string> followers(std::string_view object_type,
                                             std::string_view object_id);
  virtual std::optional<Reuse> reuse(std::string_view id);
  // Newest first; `dataset_id` non-empty: only the reuses of that dataset.
  virtual std::vector<Reuse> reuses(std::string_view dataset_id, std::int64_t offset,
                                    std::int64_t limit);
  virtual std::int64_t count_reuses(std::string_view dataset_id);  // "" = all
  virtual void for_each_reuse(const std::function<void(const Reuse&)>& fn);
  // Requests, votes and error reports per dataset for the demand ranking (catalog/demand.h;
  // views and downloads are left 0: the datasets hold them). Empty until data requests and
  // error reports are stored.
  virtual std::vector<DemandCounts> demand_signals();

  // ---- change log
  virtual std::int64_t head_revision() = 0;
  // Changes with revision > after, oldest first, at most `limit`.
  virtual std::vector<Change> changes_since(std::int64_t after, std::size_t limit) = 0;
  // Calls fn (on a thread of the store's) soon after any process commits a change, so a
  // follower can wake instead of waiting for its next poll. The default never calls it: on
  // SQLite followers poll (and the writing process pokes its own).
  virtual void on_changes(std::function<void()> fn);
};

// Opens (creating if needed) the SQLite catalog at `path` and migrates it to the current schema.
// Throws std::runtime_error when the file is not a database or was written by a newer datamap.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);
// Connects to the PostgreSQL catalog at `url` (postgresql://user@host:port/db) and migrates it
// to the current schema (catalog/postgres/pg_store.h). Throws std::runtime_error when it cannot
// connect or the schema was written by a newer datamap.
std::unique_ptr<Store> open_postgres_store(const std::string& url);

}  // namespace datamap::catalog
