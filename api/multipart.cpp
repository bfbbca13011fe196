#include "api/multipart.h"

#include "catalog/errors.h"
#include "catalog/text.h"

namespace datamap::api {
namespace {

constexpr std::size_t kMaxHeaderBlock = 8 * 1024;
constexpr std::size_t kMaxParts = 1000;
constexpr std::size_t kMaxFilename = 255;

[[noreturn]] void refuse(const std::string& why) {
  throw BadRequest("Bad request - multipart", "Malformed multipart/form-data body: " + why);
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// `; name=value; name="quoted \" value"` after a header's main value. Names are lower-cased.
// Returns false on an unterminated quoted string.
bool parse_parameters(std::string_view s, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (is_space(s[i]) || s[i] == ';')) ++i;
    std::size_t name_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';') ++i;
    std::string name = catalog::to_lower_ascii(trim_space(s.substr(name_start, i - name_start)));
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && is_space(s[i])) ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        bool closed = false;
        while (i < s.size()) {
          char c = s[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          // Browsers escape '"' as %22 and leave '\' alone (WHATWG), python-requests and curl
          // use backslash escapes: take "\\" and "\"" as escapes, any other backslash as is.
          if (c == '\\' && i < s.size() && (s[i] == '"' || s[i] == '\\')) c = s[i++];
          value.push_back(c);
        }
        if (!closed) return false;
      } else {
        std::size_t v = i;
        while (i < s.size() && s[i] != ';') ++i;
        value = std::string(trim_space(s.substr(v, i - v)));
      }
    }
    if (!name.empty()) out.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

const std::string* find_param(const std::vector<std::pair<std::string, std::string>>& params,
                              std::string_view name) {
  for (const auto& [n, v] : params)
    if (n == name) return &v;
  return nullptr;
}

// RFC 5987 ext-value: UTF-8''percent-encoded (what some clients send as filename*).
std::optional<std::string> decode_ext_value(std::string_view v) {
  auto quote = v.find("''");
  if (quote == std::string_view::npos) return std::nullopt;
  if (catalog::to_lower_ascii(v.substr(0, quote)) != "utf-8") return std::nullopt;
  return percent_decode(v.substr(quote + 2), false);
}

struct PartHeaders {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
};

PartHeaders parse_part_headers(std::string_view block) {
  PartHeaders h;
  bool has_disposition = false;
  while (!block.empty()) {
    auto eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    if (line.empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) refuse("a part header line has no ':'");
    std::string name = catalog::to_lower_ascii(trim_space(line.substr(0, colon)));
    std::string_view value = trim_space(line.substr(colon + 1));
    if (name == "content-type") {
      h.content_type = std::string(value.substr(0, 200));
    } else if (name == "content-disposition") {
      has_disposition = true;
      auto semi = value.find(';');
      if (catalog::to_lower_ascii(trim_space(value.substr(0, semi))) != "form-data")
        refuse("a part's Content-Disposition is not form-data");
      std::vector<std::pair<std::string, std::string>> params;
      if (semi != std::string_view::npos && !parse_parameters(value.substr(semi + 1), params))
        refuse("unterminated quoted string in Content-Disposition");
      const std::string* n = find_param(params, "name");
      if (!n) refuse("a part's Content-Disposition has no name");
      h.name = *n;
      if (const std::string* ext = find_param(params, "filename*")) {
        auto decoded = decode_ext_value(*ext);
        if (!decoded) refuse("filename* is not UTF-8''percent-encoded");
        h.filename = *decoded;
      } else if (const std::string* f = find_param(params, "filename")) {
        h.filename = *f;
      }
    }
  }
  if (!has_disposition) refuse("a part has no Content-Disposition header");
  return h;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> params;
  if (!parse_parameters(content_type.substr(semi + 1), params)) return std::nullopt;
  const std::string* b = find_param(params, "boundary");
  if (!b || b->empty() || b->size() > 200) return std::nullopt;
  return *b;
}

void check_upload_filename(std::string_view name) {
  auto bad = [](const std::string& why) {
    throw BadRequest("Bad request - multipart", "Unacceptable upload file name: " + why);
  };
  if (name.empty()) bad("it is empty");
  if (name.size() > kMaxFilename) bad("longer than 255 bytes");
  if (!catalog::is_valid_utf8(name)) bad("not valid UTF-8");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) bad("it contains control characters");
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos)
    bad("it contains a path ('/' or '\\'); send the file's name only");
  if (name == "." || name == ".." || name.substr(0, 2) == "..") bad("it starts with '..'");
}

MultipartForm parse_multipart(std::string_view content_type, std::string_view body) {
  if (catalog::to_lower_ascii(trim_space(content_type.substr(0, content_type.find(';')))) !=
      "multipart/form-data")
    refuse("only multipart/form-data is accepted");
  auto boundary = multipart_boundary(content_type);
  if (!boundary) refuse("the Content-Type has no boundary parameter");
  const std::string dash = "--" + *boundary;
  const std::string delimiter = "\r\n" + dash;
  // The first boundary: at the very start, or after a preamble ending in CRLF.
  std::size_t pos;
  if (body.substr(0, dash.size()) == dash) {
    pos = dash.size();
  } else {
    auto at = body.find(delimiter);
    if (at == std::string_view::npos) refuse("the boundary given in the Content-Type never occurs");
    pos = at + delimiter.size();
  }
  MultipartForm form;
  std::size_t parts = 0;
  while (true) {
    // After a boundary: "--" closes the body, CRLF starts a part (transport padding allowed).
    while (pos < body.size() && is_space(body[pos])) ++pos;
    if (body.substr(pos, 2) == "--") return form;
    if (body.substr(pos, 2) != "\r\n") {
      if (pos >= body.size()) refuse("the body ends without its closing boundary");
      refuse("a boundary is not followed by CRLF");
    }
    pos += 2;
    if (++parts > kMaxParts) refuse("more than 1000 parts");
    auto headers_end = body.find("\r\n\r\n", pos);
    std::size_t limit = pos + kMaxHeaderBlock;
    if (headers_end == std::string_view::npos || headers_end > limit) {
      if (headers_end == std::string_view::npos && body.size() <= limit)
        refuse("the body ends inside a part's headers (truncated?)");
      refuse("a part's headers are longer than 8 KiB");
    }
    PartHeaders h = parse_part_headers(body.substr(pos, headers_end - pos));
    pos = headers_end + 4;
    auto end = body.find(delimiter, pos);
    if (end == std::string_view::npos)
      refuse("the body ends inside part '" + h.name.substr(0, 100) +
             "' without its closing boundary (truncated?)");
    std::string_view data = body.substr(pos, end - pos);
    pos = end + delimiter.size();
    if (!catalog::is_valid_utf8(h.name)) refuse("a field name is not valid UTF-8");
    if (h.filename) {
      if (h.filename->empty() && data.empty()) continue;  // a file input left empty
      check_upload_filename(*h.filename);
      form.files.push_back({h.name, *h.filename, h.content_type, data});
    } else {
      form.fields.emplace_back(h.name, std::string(data));
    }
  }
}

}  // namespace datamap::api
