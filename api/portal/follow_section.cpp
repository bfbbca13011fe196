#include "api/portal/follow_section.h"

#include "api/portal/console_kit.h"

namespace datamap::api::portal {

void follow_section(Html& h, const PageContext& ctx, ActionClient& actions, const FollowTarget& t) {
  const Lang lang = ctx.lang;
  ActionParams p;
  p.str("id", t.id);
  const rapidjson::Document count = actions.call(t.kind + "_follower_count", p);
  h << "<section aria-labelledby=\"follow-h\"><h2 id=\"follow-h\">" << tr(lang, "팔로우", "Follow")
    << " <span class=\"count\">" << (count.IsInt64() ? count.GetInt64() : 0) << "</span></h2>";
  if (ctx.user_name) {
    const rapidjson::Document following = actions.call("am_following_" + t.kind, p);
    const bool yes = following.IsBool() && following.GetBool();
    h << "<form method=\"post\" action=\"" << t.post_path << "\">";
    csrf_input(h, ctx);
    h << "<input type=\"hidden\" name=\"follow\" value=\"" << std::string(yes ? "false" : "true")
      << "\"><button type=\"submit\"" << Raw{yes ? " class=\"secondary\"" : ""} << ">"
      << (yes ? tr(lang, "팔로우 취소", "Unfollow")
              : tr(lang, "팔로우 (진행 상황을 대시보드와 알림으로 받기)",
                   "Follow (get each step on your dashboard and in notifications)"))
      << "</button></form>";
  }
  h << "<p><a href=\"" << t.feed_path << "\">"
    << tr(lang, "진행 내역 (Atom 피드)", "Its steps (Atom feed)") << "</a></p></section>\n";
}

std::string follow_action(const std::string& kind, const std::string& follow_field) {
  return (follow_field == "false" ? "unfollow_" : "follow_") + kind;
}

}  // namespace datamap::api::portal
