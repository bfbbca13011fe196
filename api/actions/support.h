// Helpers shared by the action files (private to api/actions/): who may see or change what,
// and the dicts CKAN returns for packages, organizations and users.
#pragma once

#include <rapidjson/document.h>

#include <functional>
#include <string>

#include "api/action.h"
#include "api/json.h"

namespace datamap::api::actions {

// Throws NotAuthorized unless a user is logged in.
void require_login(const Caller& caller);
void require_sysadmin(const Caller& caller);

// Runs fn in one store transaction whose changes are recorded as the caller's (the activity
// stream's user_id; catalog/activity.h). Every action that writes catalog content uses this.
void write_as_caller(ActionContext& ctx, const std::function<void(catalog::Transaction&)>& fn);
// The id of a new dataset, organization or group (CKAN's empty_if_not_sysadmin and
// uuid_validator): a sysadmin may give the id the record had elsewhere, so a dump of one site
// loads into another with its ids (ckanapi load, a restore); anyone else giving one gets a 409 on
// `id` ("The input field id was not expected."). A given id must be a UUID (409 otherwise).
// None given: a new random id. That no record has the id yet is the caller's check.
std::string chosen_id(const Caller& caller, const std::string& given);
// A given id must be a UUID (CKAN's uuid_validator): a 409 on `field` otherwise.
void check_uuid(const std::string& field, const std::string& id);

// Whether the caller may see dataset `d`: an active one that is public or private to one of the
// caller's organizations (catalog::Visibility), or a deleted or draft one the caller may edit
// (CKAN: those are the editors' business).
bool may_see(const ActionContext& ctx, const catalog::Dataset& d);

// The dataset `ref` (id, name or source key) as the caller may see it (may_see). One the caller
// may not see is 404 "Dataset not found" exactly like one that does not exist: a 403 would tell
// that a private dataset of that name exists.
catalog::Dataset visible_dataset(ActionContext& ctx, const std::string& ref);

// package_show's dict: the package with its organization object, its groups with titles and
// its metadata quality summary (`quality`, docs/QUALITY.md) and the data requests it answers.
void write_full_package(ActionContext& ctx, const catalog::Dataset& d, rapidjson::Value& out,
                        Alloc& a);

// package_show's `datarequests`: the data requests the dataset answers (request_actions.cpp).
void write_dataset_requests(ActionContext& ctx, const std::string& dataset_id,
                            rapidjson::Value& out, Alloc& a);

void write_user(const catalog::User& u, bool with_private, ActionContext& ctx,
                rapidjson::Value& out, Alloc& a);

}  // namespace datamap::api::actions
