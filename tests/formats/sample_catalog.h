// A small catalog in model types for the serialiser tests: two agencies, two categories and
// three datasets shaped like real data.go.kr records (Korean text, several formats, an API).
#pragma once

#include <vector>

#include "api/formats/site.h"
#include "catalog/model.h"

namespace datamap::testing {

inline api::formats::SiteInfo sample_site() {
  api::formats::SiteInfo site;
  site.base_url = "http://127.0.0.1:8080";
  site.title = "국가데이터맵";
  site.description = "공공데이터 목록과 관계 지도";
  site.modified = "2024-05-02T10:00:00";
  return site;
}

inline api::formats::CatalogLookup sample_lookup() {
  api::formats::CatalogLookup lookup;
  catalog::Organization moe;
  moe.id = "org-moe";
  moe.name = "moe";
  moe.title = "환경부";
  moe.code = "1480000";
  lookup.add(moe);
  catalog::Organization molit;
  molit.id = "org-molit";
  molit.name = "molit";
  molit.title = "국토교통부";
  molit.code = "1613000";
  lookup.add(molit);
  catalog::Group transport;
  transport.name = "transport";
  transport.title = "교통물류";
  lookup.add(transport);
  catalog::Group env;
  env.name = "environment";
  env.title = "환경기상";
  lookup.add(env);
  return lookup;
}

inline std::vector<catalog::Dataset> sample_datasets() {
  std::vector<catalog::Dataset> out;
  catalog::Dataset air;
  air.id = "7f1c2d3e-0000-4000-8000-000000000001";
  air.name = "air-quality-daily";
  air.title = "환경부_대기오염 측정 정보";
  air.notes = "전국 측정소의 시간별 대기오염도(미세먼지, 오존) 측정값.";
  air.type = "file";
  air.owner_org = "org-moe";
  air.url = "https://www.data.go.kr/data/15000001/fileData.do";
  air.license_id = "KOGL-1";
  air.maintainer = "대기환경과";
  air.maintainer_email = "air@me.go.kr";
  air.maintainer_phone = "`044-201-6911";
  air.frequency = "일간";
  air.spatial = "대한민국";
  air.temporal = "2019-01-01~2023-12-31";
  air.issued = "2019-03-02";
  air.modified = "2024-04-30T09:15:00";
  air.metadata_created = "2024-05-01T00:00:00.000000";
  air.metadata_modified = "2024-05-01T00:00:00.000000";
  air.source_key = "15000001";
  air.tags = {"미세먼지", "대기오염", "PM2.5"};
  air.groups = {"environment"};
  air.extras = {{"title_en", "Air pollution measurements"}};
  catalog::Resource csv;
  csv.id = "res-air-csv";
  csv.name = "대기오염 측정값 2023";
  csv.url = "https://www.data.go.kr/cmm/cmm/fileDownload.do?atchFileId=FILE_000000001";
  csv.format = "CSV";
  csv.size = 1048576;
  catalog::Resource hwp;
  hwp.id = "res-air-hwp";
  hwp.name = "측정망 설명서";
  hwp.url = "https://www.data.go.kr/files/manual.hwp";
  hwp.format = "HWP";
  air.resources = {csv, hwp};
  out.push_back(air);

  catalog::Dataset bus;
  bus.id = "7f1c2d3e-0000-4000-8000-000000000002";
  bus.name = "bus-arrival-api";
  bus.title = "국토교통부_버스도착정보 조회 서비스";
  bus.notes = "";  // DCAT-AP needs a description: the title stands in
  bus.type = "api";
  bus.owner_org = "org-molit";
  bus.url = "https://www.data.go.kr/data/15000002/openapi.do";
  bus.license_id = "unrestricted";
  bus.frequency = "실시간";
  bus.metadata_created = "2024-05-01T00:00:00.000000";
  bus.metadata_modified = "2024-05-02T00:00:00.000000";
  bus.tags = {"버스", "도착정보"};
  bus.groups = {"transport"};
  catalog::Resource api;
  api.id = "res-bus-api";
  api.name = "버스도착정보 API";
  api.url = "https://apis.data.go.kr/1613000/BusArrival";
  api.format = "JSON";
  bus.resources = {api};
  out.push_back(bus);

  catalog::Dataset roads;
  roads.id = "7f1c2d3e-0000-4000-8000-000000000003";
  roads.name = "road-traffic-volume";
  roads.title = "Road traffic volume";
  roads.notes = "Annual average daily traffic by road section.";
  roads.owner_org = "org-molit";
  roads.frequency = "R/P1Y";
  roads.metadata_created = "2024-05-01T00:00:00.000000";
  roads.metadata_modified = "2024-05-01T00:00:00.000000";
  roads.groups = {"transport"};
  catalog::Resource xlsx;
  xlsx.id = "res-roads-xlsx";
  xlsx.name = "2023";
  xlsx.url = "not a url";  // a broken link still gets an accessURL: the dataset's page
  xlsx.format = "xlsx";
  roads.resources = {xlsx};
  out.push_back(roads);
  return out;
}

}  // namespace datamap::testing
