// multipart/form-data (RFC 7578), as browsers, CKAN's UI and ckanapi (python-requests) send
// it: form fields plus file parts. Strict: a body without its boundary, a part without headers'
// end, a header block over 8 KiB, a missing closing boundary, more than 1,000 parts, a file
// name with a path ('/', '\\', "..") or control characters are BadRequest naming the problem.
// Parts are views into the body: nothing is copied, so a large upload is held once.
//
// Why a parser of our own: the Debian candidates (GMime) parse e-mail, are lenient where an
// upload must not be (a missing final boundary is accepted as end of message), copy content
// through GLib streams and decode names by e-mail rules (RFC 2047), not RFC 7578's. This one
// is ~200 lines with a libFuzzer target (fuzz/multipart_fuzzer.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.h"

namespace datamap::api {

struct MultipartFile {
  std::string field;         // the form field's name, e.g. "upload"
  std::string filename;      // as the client named it, checked (no path, valid UTF-8)
  std::string content_type;  // the part's Content-Type, "" when absent
  std::string_view data;     // the bytes, a view into the request body
};

struct MultipartForm {
  NameValues fields;  // text fields in arrival order
  std::vector<MultipartFile> files;
};

// The boundary parameter of a multipart Content-Type, or nullopt.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Parses `body` sent with `content_type` (multipart/form-data; boundary=...). Throws BadRequest.
MultipartForm parse_multipart(std::string_view content_type, std::string_view body);

// Throws BadRequest unless `name` is a plain file name (what parse_multipart checks).
void check_upload_filename(std::string_view name);

}  // namespace datamap::api
