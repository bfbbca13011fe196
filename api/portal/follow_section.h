// The follow block of an object's page: how many follow it, a follow / unfollow button for the
// signed-in visitor (a form POSTed to `post_path` with `follow` true or false, which the page's
// own POST handler turns into follow_X / unfollow_X), and its Atom feed for those who would
// rather not sign in. Reads through follow actions named after `kind` (X_follower_count,
// am_following_X), as the API does.
#pragma once

#include <string>

#include "api/portal/action_client.h"
#include "api/portal/html.h"
#include "api/portal/page_context.h"

namespace datamap::api::portal {

struct FollowTarget {
  std::string kind;  // "datarequest" (follow_datarequest, datarequest_follower_count, ...)
  std::string id;
  std::string post_path;  // e.g. "/requests/ID/follow"
  std::string feed_path;  // e.g. "/feeds/datarequest/ID.atom"
};

void follow_section(Html& h, const PageContext& ctx, ActionClient& actions, const FollowTarget& t);

// The action a follow form asks for: follow_X, or unfollow_X when `follow` is "false".
std::string follow_action(const std::string& kind, const std::string& follow_field);

}  // namespace datamap::api::portal
