// package_search's include_drafts, include_deleted and include_private as CKAN's
// test_get.py::TestPackageSearch asserts them, with datamap's rule for who sees a draft or a
// deleted dataset (those who may edit it, as package_show): a sysadmin all, an organization's
// editors and admins their own, an editor collaborator that dataset; never another
// organization's. Collaborators see the private datasets they collaborate on.
#include <set>

#include "tests/conformance/conformance.h"

namespace datamap::testing {
namespace {

std::set<std::string> names(ApiWorld& w, const std::string& params, const std::string& token) {
  auto r = w.ok("package_search", params, token);
  std::set<std::string> out;
  for (const auto& p : r["result"]["results"].GetArray())
    out.emplace(p["name"].GetString(), p["name"].GetStringLength());
  EXPECT_EQ(r["result"]["count"].GetUint64(), out.size()) << params;
  return out;
}

using Names = std::set<std::string>;

class SearchVisibility : public ::testing::Test {
 protected:
  void SetUp() override {
    create(w, R"({"name":"public-a","owner_org":"agency-a"})");
    create(w, R"({"name":"draft-a","owner_org":"agency-a","state":"draft"})");
    create(w, R"({"name":"draft-b","owner_org":"agency-b","state":"draft"})");
    create(w, R"({"name":"private-draft-a","owner_org":"agency-a","private":true,
                  "state":"draft"})");
    create(w, R"({"name":"deleted-a","owner_org":"agency-a"})");
    w.ok("package_delete", R"({"id":"deleted-a"})", w.sysadmin);
    create(w, R"({"name":"private-a","owner_org":"agency-a","private":true})");
    create(w, R"({"name":"private-b","owner_org":"agency-b","private":true})");
    create(w, R"({"name":"private-b2","owner_org":"agency-b","private":true})");
    wait_for_search(w);
  }
  ApiWorld w;
};

TEST_F(SearchVisibility, DraftsOnlyForThoseWhoMayEditThemSysadminsAll) {
  const std::string drafts = R"({"include_drafts":true,"rows":100})";
  // test_package_search_excludes_private_and_drafts: nothing asked, nothing but the public one.
  EXPECT_EQ(names(w, "{}", ""), Names{"public-a"});
  EXPECT_EQ(names(w, "{}", w.sysadmin), Names{"public-a"});
  // ..._excludes_drafts_for_anon_user: asking is not enough.
  EXPECT_EQ(names(w, drafts, ""), Names{"public-a"});
  // ..._includes_drafts_for_sysadmin: every public draft; private ones need include_private.
  EXPECT_EQ(names(w, drafts, w.sysadmin), (Names{"public-a", "draft-a", "draft-b"}));
  EXPECT_EQ(names(w, R"({"include_drafts":true,"include_private":true,"rows":100})", w.sysadmin),
            (Names{"public-a", "draft-a", "draft-b", "private-draft-a", "private-a", "private-b",
                   "private-b2"}));
  // ..._include_drafts_false_option_doesnot_include_drafts_for_sysadmin
  EXPECT_EQ(names(w, R"({"include_drafts":false})", w.sysadmin), Names{"public-a"});
  // ..._includes_drafts_for_user: the organization's editors and admins, not another's.
  EXPECT_EQ(names(w, drafts, w.editor_a), (Names{"public-a", "draft-a"}));
  EXPECT_EQ(names(w, drafts, w.admin_a), (Names{"public-a", "draft-a"}));
  EXPECT_EQ(names(w, drafts, w.editor_b), (Names{"public-a", "draft-b"}));
  EXPECT_EQ(names(w, R"({"include_drafts":true,"include_private":true})", w.editor_a),
            (Names{"public-a", "draft-a", "private-draft-a", "private-a"}));
  // A member reads the organization's private datasets but edits nothing: no drafts.
  EXPECT_EQ(names(w, R"({"include_drafts":true,"include_private":true})", w.member_a),
            (Names{"public-a", "private-a"}));
  // package_show agrees: what search hides from a caller is not found for that caller.
  EXPECT_EQ(refusal(w, "package_show", R"({"id":"draft-a"})", w.member_a).status, 404);
  EXPECT_EQ(refusal(w, "package_show", R"({"id":"draft-b"})", w.editor_a).status, 404);

  // test_package_search_with_fq_excludes_drafts: an fq naming the state gives no one more.
  EXPECT_EQ(names(w, R"({"fq":"state:draft"})", ""), Names{});
  EXPECT_EQ(names(w, R"({"fq":"state:draft"})", w.editor_b), Names{"draft-b"});
  // ..._fq_for_create_user_id_will_include_drafts_for_other_users_for_sysadmin
  EXPECT_EQ(names(w, R"({"fq":"+state:draft","include_private":true})", w.sysadmin),
            (Names{"draft-a", "draft-b", "private-draft-a"}));
  EXPECT_EQ(names(w, R"({"fq":"state:active","include_drafts":true})", w.sysadmin),
            Names{"public-a"});
  // capacity: is the dataset's, whatever its state.
  EXPECT_EQ(names(w, R"({"fq":"capacity:public","include_drafts":true})", w.sysadmin),
            (Names{"public-a", "draft-a", "draft-b"}));
  EXPECT_EQ(names(w, R"({"fq":"capacity:private","include_drafts":true,"include_private":true})",
                  w.editor_a),
            (Names{"private-draft-a", "private-a"}));

  // Bad input: a precise 409 on the flag, the server still answering.
  auto bad = refusal(w, "package_search", R"({"include_drafts":"maybe"})");
  EXPECT_EQ(bad, (Refusal{409, "Validation Error"}));
  EXPECT_EQ(names(w, "{}", ""), Names{"public-a"});
}

TEST_F(SearchVisibility, DeletedOnlyForThoseWhoMayEditThem) {
  const std::string deleted = R"({"include_deleted":true})";
  EXPECT_EQ(names(w, deleted, ""), Names{"public-a"});
  EXPECT_EQ(names(w, deleted, w.sysadmin), (Names{"public-a", "deleted-a"}));
  EXPECT_EQ(names(w, deleted, w.editor_a), (Names{"public-a", "deleted-a"}));
  EXPECT_EQ(names(w, deleted, w.member_a), Names{"public-a"});
  // test_package_search_private_with_include_private_wont_show_other_orgs_private
  EXPECT_EQ(names(w, R"({"include_deleted":true,"include_private":true})", w.editor_b),
            (Names{"public-a", "private-b", "private-b2"}));
  EXPECT_EQ(names(w, R"({"include_deleted":true,"include_drafts":true})", w.editor_a),
            (Names{"public-a", "deleted-a", "draft-a"}));
  // Deleting takes a dataset out of everyone's default results at once; restoring it (state
  // back to active) puts it back.
  EXPECT_EQ(names(w, "{}", w.editor_a), Names{"public-a"});
  w.ok("package_patch", R"({"id":"deleted-a","state":"active"})", w.sysadmin);
  wait_for_search(w);
  EXPECT_EQ(names(w, "{}", ""), (Names{"public-a", "deleted-a"}));
}

TEST_F(SearchVisibility, CollaboratorsFindThePrivateDatasetsTheyWorkOnAndNoOneElseDoes) {
  // editor_a collaborates (member capacity) on agency-b's private-b, not on private-b2.
  const std::string with_private = R"({"include_private":true})";
  EXPECT_EQ(names(w, with_private, w.editor_a), (Names{"public-a", "private-a"}));
  w.ok("package_collaborator_create",
       R"({"id":"private-b","user_id":"editor_a","capacity":"member"})", w.sysadmin);
  EXPECT_EQ(names(w, with_private, w.editor_a), (Names{"public-a", "private-a", "private-b"}));
  EXPECT_EQ(names(w, "{}", w.editor_a), Names{"public-a"});  // only when asked, as CKAN
  // No one else gains anything.
  EXPECT_EQ(names(w, with_private, w.member_a), (Names{"public-a", "private-a"}));
  EXPECT_EQ(names(w, with_private, ""), Names{"public-a"});
  EXPECT_EQ(names(w, R"({"fq":"name:private-b2","include_private":true})", w.editor_a), Names{});

  // A member collaborator on a draft does not see it (it is the editors' business); an
  // editor collaborator does.
  create(w, R"({"name":"draft-b-shared","owner_org":"agency-b","private":true,"state":"draft"})");
  wait_for_search(w);
  w.ok("package_collaborator_create",
       R"({"id":"draft-b-shared","user_id":"editor_a","capacity":"member"})", w.sysadmin);
  const std::string all = R"({"include_private":true,"include_drafts":true,"rows":100})";
  EXPECT_EQ(names(w, all, w.editor_a),
            (Names{"public-a", "private-a", "private-b", "draft-a", "private-draft-a"}));
  w.ok("package_collaborator_create",
       R"({"id":"draft-b-shared","user_id":"editor_a","capacity":"editor"})", w.sysadmin);
  EXPECT_EQ(names(w, all, w.editor_a), (Names{"public-a", "private-a", "private-b", "draft-a",
                                              "private-draft-a", "draft-b-shared"}));
  EXPECT_EQ(names(w, R"({"include_drafts":true})", w.editor_a),
            (Names{"public-a", "draft-a"}));  // private ones only with include_private
  EXPECT_EQ(names(w, all, w.editor_b),
            (Names{"public-a", "private-b", "private-b2", "draft-b", "draft-b-shared"}));

  // Removed: gone from the collaborator's results again.
  w.ok("package_collaborator_delete", R"({"id":"private-b","user_id":"editor_a"})", w.sysadmin);
  EXPECT_EQ(names(w, with_private, w.editor_a), (Names{"public-a", "private-a"}));
}

}  // namespace
}  // namespace datamap::testing
