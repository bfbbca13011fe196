// The data.go.kr-style list response Korean developers already parse: one envelope for JSON and
// XML, success and error alike.
//   {"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
//                 "body": {"items": {"item": [...]}, "numOfRows": 10, "pageNo": 1, "totalCount": N}}}
// `item` is always an array (also for one or zero items); errors carry only the header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/formats/site.h"
#include "catalog/model.h"

namespace datamap::api::formats {

// data.go.kr's result codes (공공데이터포털 OpenAPI 에러 코드) this endpoint answers with.
enum class DatagoCode {
  kNormal = 0,             // 00 NORMAL SERVICE.
  kApplicationError = 1,   // 01 APPLICATION_ERROR (a bug: the request was fine)
  kNoData = 3,             // 03 NODATA_ERROR
  kInvalidParameter = 10,  // 10 INVALID_REQUEST_PARAMETER_ERROR
  kMissingParameter = 11,  // 11 NO_MANDATORY_REQUEST_PARAMETERS_ERROR
  kAccessDenied = 20,      // 20 SERVICE_ACCESS_DENIED_ERROR
  kOverQuota = 22,         // 22 LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR
  kKeyNotRegistered = 30,  // 30 SERVICE_KEY_IS_NOT_REGISTERED_ERROR
};

std::string datago_code_text(DatagoCode code);     // "00", "10", ...
std::string datago_code_message(DatagoCode code);  // "NORMAL SERVICE.", "INVALID_REQUEST_PARAMETER_ERROR"
int datago_http_status(DatagoCode code);           // 200, 400, 401, 429, ...

struct DatagoPage {
  std::int64_t page_no = 1;
  std::int64_t num_of_rows = 10;
  std::int64_t total_count = 0;
  std::vector<catalog::Dataset> items;
};

// Success envelopes.
std::string datago_json(const DatagoPage& page, const CatalogLookup& lookup, const SiteInfo& site);
std::string datago_xml(const DatagoPage& page, const CatalogLookup& lookup, const SiteInfo& site);
// Error envelopes: resultMsg is the code's name, followed by ": detail" when there is one.
std::string datago_error_json(DatagoCode code, const std::string& detail);
std::string datago_error_xml(DatagoCode code, const std::string& detail);

// Text for an XML element: & < > escaped, and the characters XML 1.0 cannot carry at all
// (C0 controls other than tab / LF / CR) dropped.
std::string xml_text(const std::string& s);

}  // namespace datamap::api::formats
