// Data requests and error reports as activities (issue 16 item 4), in CKAN's activity dict:
// the request's or report's own stream, its agency's (owner_org) and, for a report, its
// dataset's (Activity::dataset_id). Pure functions: the actions record what they return through
// Transaction::record_activity, so every front end describes a change the same way.
//
// activity_type, with `data` holding a compact snapshot under "datarequest" or "issue_report":
//   "new datarequest", "changed datarequest" (the requester's edit, a status step, an answer, an
//   extension: data.change names which), "closed datarequest", "new datarequest comment"
//   (data.comment.id only: a comment hidden later must not live on in the streams),
//   "datarequest votes" (a tally, see is_vote_milestone), "new issue report",
//   "changed issue report", "closed issue report".
#pragma once

#include <cstdint>
#include <string_view>

#include "catalog/activity.h"
#include "catalog/demand.h"
#include "catalog/model.h"

namespace datamap::catalog {

// `kind` as the actions announce a change (DemandEvent::kind): "created", "updated", "status",
// "closed", "comment", "votes". `comment_id` with "comment". user_id and id are left to the
// writer.
Activity request_activity(const DataRequest& r, std::string_view kind,
                          std::string_view comment_id = {});

// `kind`: "created", "updated", "status", "closed". `d` is the dataset reported on, as it is now:
// the activity is private when the dataset is.
Activity report_activity(const IssueReport& r, const Dataset& d, std::string_view kind);

// Votes are not one activity each: nobody following a request wants a line per vote, and a vote
// names who cast it. A tally is recorded when the count reaches 10, 50, 100, 500, 1000, ...
bool is_vote_milestone(std::int64_t votes);

}  // namespace datamap::catalog
