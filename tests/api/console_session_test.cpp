// Console sessions that cannot be stolen or forged, attacked over real HTTP against a started
// `datamap serve`: what a stolen cookie is worth, whether sign-out really ends a session, and
// whether another site can sign a browser in or out or submit its forms (CSRF).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "api/config.h"
#include "tests/api/api_world.h"
#include "tests/api/console_browser.h"
#include "tests/support/temp_dir.h"

namespace datamap::testing {
namespace {

// The dashboard (not the sign-in page) answered: the browser is signed in.
bool signed_in(const HttpReply& r) {
  return r.status == 200 && r.body.find("action=\"/console/logout\"") != std::string::npos;
}

bool dataset_exists(ApiWorld& w, const std::string& name) {
  return w.http.get("/api/3/action/package_show?id=" + name, {{"Authorization", w.sysadmin}})
             .status == 200;
}

std::string new_dataset_form(ApiWorld& w, const std::string& name, const std::string& csrf) {
  return "csrf=" + url_encode(csrf) + "&title=t&name=" + name + "&owner_org=" + w.org_a_id;
}

class ConsoleSession : public ::testing::Test {
 protected:
  ApiWorld w;
};

TEST_F(ConsoleSession, TheCookieHoldsARandomSessionIdNeverTheApiToken) {
  ConsoleBrowser b(w.server.url());
  ASSERT_EQ(b.sign_in(w.editor_a).status, 303);
  std::string set_cookie = b.last_set_cookie();
  std::string cookie = session_cookie(b);
  ASSERT_FALSE(cookie.empty()) << set_cookie;
  std::string value = cookie.substr(cookie.find('=') + 1);
  // Whoever reads the cookie (a shared computer, a proxy log) does not learn the API token.
  EXPECT_EQ(set_cookie.find(w.editor_a), std::string::npos) << set_cookie;
  EXPECT_GE(value.size(), 43u) << "256 random bits";
  // ... and cannot use it against the API either.
  EXPECT_EQ(w.http.action("package_create", R"({"name":"by-cookie","owner_org":"agency-a"})", value)
                .status,
            403);
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(set_cookie.find("Path=/;"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain http, no trusted proxy";
  EXPECT_TRUE(signed_in(b.get("/console")));
  // A cookie that carries an API token is not a session: planting one signs no one in.
  ConsoleBrowser planted(w.server.url());
  planted.cookies()["datamap_console"] = w.editor_a;  // where the token used to be
  planted.cookies()["datamap_session"] = w.editor_a;
  EXPECT_FALSE(signed_in(planted.get("/console")));
  // A browser that kept the token in the old cookie is told to drop it.
  planted.get("/console");
  EXPECT_EQ(planted.cookies().count("datamap_console"), 0u) << planted.last_set_cookie();
}

TEST_F(ConsoleSession, SignOutRevokesTheSessionSoAReplayedCookieIsWorthless) {
  ConsoleBrowser b(w.server.url());
  ASSERT_EQ(b.sign_in(w.editor_a).status, 303);
  ASSERT_TRUE(signed_in(b.get("/console")));
  std::string stolen = session_cookie(b);
  std::string stolen_csrf = b.csrf();
  EXPECT_EQ(b.post("/console/logout", "csrf=" + url_encode(b.csrf())).status, 303);
  // The thief replays the cookie (and the CSRF field it saw) after the user signed out.
  ConsoleBrowser thief(w.server.url());
  thief.cookies()[stolen.substr(0, stolen.find('='))] = stolen.substr(stolen.find('=') + 1);
  EXPECT_FALSE(signed_in(thief.get("/console")));
  HttpReply r =
      thief.post("/console/dataset/new", new_dataset_form(w, "after-logout", stolen_csrf));
  EXPECT_NE(r.status, 303);
  EXPECT_FALSE(dataset_exists(w, "after-logout"));
}

TEST_F(ConsoleSession, SignInNeedsTheCsrfFieldOfThisBrowsersSignInPage) {
  // Login CSRF: another site posts its own token so the victim works in the attacker's account.
  ConsoleBrowser victim(w.server.url());
  victim.get("/console");
  HttpReply bare = victim.post("/console/login", "token=" + url_encode(w.editor_b));
  EXPECT_EQ(bare.status, 403);
  EXPECT_TRUE(session_cookie(victim).empty());
  // A field the attacker got from its own sign-in page does not match the victim's cookie.
  ConsoleBrowser attacker(w.server.url());
  attacker.get("/console");
  ASSERT_FALSE(attacker.csrf().empty());
  HttpReply forged = victim.post(
      "/console/login", "csrf=" + url_encode(attacker.csrf()) + "&token=" + url_encode(w.editor_b));
  EXPECT_EQ(forged.status, 403);
  EXPECT_TRUE(session_cookie(victim).empty());
  EXPECT_FALSE(signed_in(victim.get("/console")));
  // The browser's own field works.
  EXPECT_EQ(victim.sign_in(w.editor_a).status, 303);
  EXPECT_TRUE(signed_in(victim.get("/console")));
}

TEST_F(ConsoleSession, SignOutAndFormsNeedThisSessionsCsrfField) {
  ConsoleBrowser b(w.server.url());
  ASSERT_EQ(b.sign_in(w.editor_a).status, 303);
  ASSERT_TRUE(signed_in(b.get("/console")));
  // Forced sign-out from another site: refused, still signed in.
  EXPECT_EQ(b.post("/console/logout", "").status, 403);
  EXPECT_EQ(b.post("/console/logout", "csrf=wrong").status, 403);
  EXPECT_TRUE(signed_in(b.get("/console")));
  // Another session's field does not fit this session.
  ConsoleBrowser other(w.server.url());
  ASSERT_EQ(other.sign_in(w.editor_a).status, 303);
  other.get("/console");
  EXPECT_EQ(b.post("/console/dataset/new", new_dataset_form(w, "other-csrf", other.csrf())).status,
            403);
  EXPECT_FALSE(dataset_exists(w, "other-csrf"));
}

TEST_F(ConsoleSession, ACrossSiteOriginIsRefusedEvenWithTheRightFields) {
  ConsoleBrowser b(w.server.url());
  ASSERT_EQ(b.sign_in(w.editor_a).status, 303);
  b.get("/console/dataset/new");
  std::string csrf = b.csrf();
  ASSERT_FALSE(csrf.empty());
  HttpReply r = b.post("/console/dataset/new", new_dataset_form(w, "cross-site", csrf),
                       {{"Origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(dataset_exists(w, "cross-site"));
  HttpReply referred = b.post("/console/dataset/new", new_dataset_form(w, "cross-site", csrf),
                              {{"Referer", "https://evil.example/page"}});
  EXPECT_EQ(referred.status, 403);
  EXPECT_FALSE(dataset_exists(w, "cross-site"));
  // The same form from our own origin goes through.
  HttpReply same = b.post("/console/dataset/new", new_dataset_form(w, "same-site", csrf),
                          {{"Origin", w.server.url()}});
  EXPECT_EQ(same.status, 303) << same.body;
  EXPECT_TRUE(dataset_exists(w, "same-site"));
}

TEST_F(ConsoleSession, RevokingTheTokenEndsTheSessionsItOpened) {
  auto created = w.ok("api_token_create", R"({"user":"editor_a","name":"laptop"})", w.editor_a);
  std::string laptop = created["result"]["token"].GetString();
  ConsoleBrowser b(w.server.url());
  ASSERT_EQ(b.sign_in(laptop).status, 303);
  ASSERT_TRUE(signed_in(b.get("/console")));
  w.ok("api_token_revoke", R"({"token":")" + laptop + R"("})", w.editor_a);
  EXPECT_FALSE(signed_in(b.get("/console")));
}

TEST(ConsoleSessionConfig, KeysAreReadAndNonPositiveLifetimesRefused) {
  TempDir dir;
  auto load = [&](const std::string& toml) {
    std::ofstream(dir.file("c.toml")) << toml;
    return api::load_config(dir.file("c.toml"));
  };
  api::Config defaults = load("");
  EXPECT_EQ(defaults.console.session_idle_seconds, 8 * 3600);
  EXPECT_EQ(defaults.console.session_max_seconds, 7 * 24 * 3600);
  EXPECT_FALSE(defaults.console.trust_forwarded_proto);
  api::Config set = load(
      "[console]\nsession_idle_seconds = 60\nsession_max_seconds = 120\ntrust_forwarded_proto = "
      "true\n");
  EXPECT_EQ(set.console.session_idle_seconds, 60);
  EXPECT_EQ(set.console.session_max_seconds, 120);
  EXPECT_TRUE(set.console.trust_forwarded_proto);
  EXPECT_THROW(load("[console]\nsession_idle_seconds = 0\n"), std::runtime_error);
  EXPECT_THROW(load("[console]\nsession_max_seconds = -1\n"), std::runtime_error);
}

TEST(ConsoleSessionConfig, SessionsExpireWhenIdleAndAtTheirAbsoluteLimit) {
  TestServer::Options idle_opts;
  idle_opts.config_toml = "[console]\nsession_idle_seconds = 2\nsession_max_seconds = 600\n";
  TestServer idle(idle_opts);
  std::string token = idle.add_user("someone", {"--sysadmin"});
  ConsoleBrowser b(idle.url());
  ASSERT_EQ(b.sign_in(token).status, 303);
  ASSERT_TRUE(signed_in(b.get("/console")));
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_FALSE(signed_in(b.get("/console"))) << "idle for longer than session_idle_seconds";

  TestServer::Options max_opts;
  max_opts.config_toml = "[console]\nsession_idle_seconds = 600\nsession_max_seconds = 3\n";
  TestServer capped(max_opts);
  token = capped.add_user("someone", {"--sysadmin"});
  ConsoleBrowser c(capped.url());
  ASSERT_EQ(c.sign_in(token).status, 303);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(signed_in(c.get("/console")));
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_FALSE(signed_in(c.get("/console"))) << "busy, but older than session_max_seconds";
}

TEST(ConsoleSessionConfig, TheCookieIsSecureBehindATrustedHttpsProxyOnly) {
  TestServer::Options opts;
  opts.config_toml = "[console]\ntrust_forwarded_proto = true\n";
  TestServer server(opts);
  std::string token = server.add_user("someone", {"--sysadmin"});
  ConsoleBrowser b(server.url());
  ASSERT_EQ(b.sign_in(token, {{"X-Forwarded-Proto", "https"}}).status, 303);
  EXPECT_NE(b.last_set_cookie().find("; Secure"), std::string::npos) << b.last_set_cookie();
  EXPECT_TRUE(signed_in(b.get("/console", {{"X-Forwarded-Proto", "https"}})));
  // A proxy that rewrites Host passes the public one on: the Origin check compares with that.
  const Headers proxied = {{"X-Forwarded-Proto", "https"},
                           {"X-Forwarded-Host", "data.example.go.kr"},
                           {"Origin", "https://data.example.go.kr"}};
  ConsoleBrowser behind(server.url());
  EXPECT_EQ(behind.sign_in(token, proxied).status, 303);
  EXPECT_TRUE(signed_in(behind.get("/console", proxied)));

  // Without the setting the header is not believed: anyone can send it.
  ApiWorld w;
  ConsoleBrowser plain(w.server.url());
  ASSERT_EQ(plain.sign_in(w.editor_a, {{"X-Forwarded-Proto", "https"}}).status, 303);
  EXPECT_EQ(plain.last_set_cookie().find("Secure"), std::string::npos) << plain.last_set_cookie();
  // Nor is X-Forwarded-Host: an Origin naming it is another site.
  ConsoleBrowser spoofed(w.server.url());
  EXPECT_EQ(spoofed
                .sign_in(w.editor_a,
                         {{"X-Forwarded-Host", "evil.example"}, {"Origin", "https://evil.example"}})
                .status,
            403);
}

}  // namespace
}  // namespace datamap::testing
