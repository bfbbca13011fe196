// The console's dataset form: which fields it has, how it renders (with the API's per-field
// validation messages beside the fields they concern), and how its fields translate to and from
// a CKAN package dict. The form only translates; package_create / package_patch validate.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>

#include "api/portal/action_client.h"
#include "api/portal/page_context.h"
#include "api/portal/pages.h"
#include "catalog/errors.h"

namespace datamap::api::portal {

using Values = std::map<std::string, std::string>;  // form field -> value as shown

struct DatasetFormSpec {
  std::string action_url;  // where the form posts
  std::string heading;     // plain text
  Values values;           // what the fields show
  FieldErrors errors;      // the API's messages, keyed by package field (resources.0.url, ...)
  bool is_edit = false;    // edit: the name is fixed and the resource fields are not shown
  int status = 200;        // 409 when showing validation errors
};

PortalResponse dataset_form(const PageContext& ctx, ActionClient& actions,
                            const DatasetFormSpec& spec);

// The form's fields as a CKAN package dict (tags split at commas; one resource when
// include_resource and a resource field was filled).
rapidjson::Document package_from_form(const Params& form, bool include_resource);
Values values_from_form(const Params& form);
Values values_from_package(const rapidjson::Value& pkg);

}  // namespace datamap::api::portal
