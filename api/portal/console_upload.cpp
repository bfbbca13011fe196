#include "api/portal/console_upload.h"

#include "api/multipart.h"
#include "api/portal/console_kit.h"
#include "api/portal/html.h"
#include "catalog/errors.h"

namespace datamap::api::portal {
namespace {

PortalResponse upload_form(const PageContext& ctx, const rapidjson::Value& pkg,
                           const std::string& name, const std::string& error, int status) {
  const Lang lang = ctx.lang;
  Html h;
  h << "<h1>" << tr(lang, "파일 올리기: ", "Upload a file: ") << json_str(pkg, "title", name)
    << "</h1>\n<div class=\"panel\">";
  if (!error.empty())
    h << "<p class=\"notice error\" role=\"alert\" id=\"upload-error\">" << error << "</p>\n";
  h << "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/console/dataset/"
    << url_encode(name) << "/upload\">";
  csrf_input(h, ctx);
  h << "<div class=\"field\"><label for=\"upload\">" << tr(lang, "파일", "File") << "</label>"
    << "<input type=\"file\" id=\"upload\" name=\"upload\" required";
  if (!error.empty()) h << " aria-invalid=\"true\" aria-describedby=\"upload-error\"";
  h << "></div>\n<div class=\"field\"><label for=\"res-name\">" << tr(lang, "이름", "Name")
    << "</label><input type=\"text\" id=\"res-name\" name=\"name\"></div>\n"
    << "<div class=\"field\"><label for=\"res-format\">"
    << tr(lang, "형식 (비우면 파일 확장자)", "Format (empty: from the file's extension)")
    << "</label><input type=\"text\" id=\"res-format\" name=\"format\"></div>\n"
    << "<div class=\"field\"><label for=\"res-description\">" << tr(lang, "설명", "Description")
    << "</label><textarea id=\"res-description\" name=\"description\"></textarea></div>\n"
    << "<button type=\"submit\">" << tr(lang, "올리기", "Upload") << "</button> <a href=\"/dataset/"
    << url_encode(name) << "\">" << tr(lang, "취소", "Cancel") << "</a></form></div>";
  return console_shell(ctx, std::string(tr(lang, "파일 올리기", "Upload a file")), h.take(),
                       status);
}

}  // namespace

PortalResponse upload_resource(const PageContext& ctx, ActionClient& actions,
                               const ConsoleRequest& req, const rapidjson::Value& pkg,
                               const std::string& name) {
  if (req.method != "POST") return upload_form(ctx, pkg, name, "", 200);
  if (!req.upload)
    return upload_form(ctx, pkg, name,
                       std::string(tr(ctx.lang, "파일을 고르세요.", "Choose a file.")), 400);
  ActionParams params;
  params.str("package_id", json_str(pkg, "id", name));
  for (const char* field : {"name", "format", "description"})
    params.str(field, form_value(req.form, field));
  try {
    actions.call_with_upload("resource_create", params, *req.upload);
  } catch (const ValidationError& e) {
    std::string message;
    for (const auto& [field, messages] : e.fields())
      for (const auto& m : messages) message += (message.empty() ? "" : "; ") + field + ": " + m;
    return upload_form(ctx, pkg, name, message, 409);
  }
  return see_other("/dataset/" + url_encode(name));
}

}  // namespace datamap::api::portal
