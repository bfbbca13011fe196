// multipart/form-data bodies as the upload actions receive them (api/multipart.h).
// Input: "content-type header\nbody". Whatever it gets, the parser returns parts that lie
// inside the body, or throws BadRequest: never anything else.
#include <cstdlib>
#include <string>

#include "api/multipart.h"
#include "catalog/errors.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace datamap::api;
  auto [content_type, body] = datamap::fuzz::split_two(datamap::fuzz::as_text(data, size));
  try {
    MultipartForm form = parse_multipart(content_type, body);
    for (const auto& f : form.files) {
      // A view into the body, and a file name with no path in it.
      if (f.data.data() < body.data() || f.data.data() + f.data.size() > body.data() + body.size())
        std::abort();
      if (f.filename.find('/') != std::string::npos || f.filename.find('\\') != std::string::npos)
        std::abort();
    }
  } catch (const datamap::BadRequest&) {
  }
  return 0;
}
