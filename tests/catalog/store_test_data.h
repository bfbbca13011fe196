// Datasets for the store tests: one with every model field set (Korean text included), and
// small ones named by the test that needs them.
#pragma once

#include <string>

#include "catalog/model.h"

namespace datamap::catalog::testdata {

inline Dataset full_dataset() {
  Dataset d;
  d.id = "3f7c6b0e-5a8d-4c1e-9b2a-000000000001";
  d.name = "seoul-parking-lots";
  d.title = "서울특별시 공영주차장 정보";
  d.notes = "서울시 공영주차장의 위치, 요금, 운영시간.\n두 번째 줄 \"따옴표\" 와 \\ 역슬래시";
  d.type = "file";
  d.state = "active";
  d.owner_org = "org-seoul";
  d.url = "https://www.data.go.kr/data/15000000/fileData.do";
  d.license_id = "KOGL-Type1";
  d.author = "서울특별시";
  d.author_email = "author@seoul.go.kr";
  d.maintainer = "교통정책과";
  d.maintainer_email = "traffic@seoul.go.kr";
  d.maintainer_phone = "02-120";
  d.version = "2.1";
  d.frequency = "월간";
  d.next_update = "2022-12-31";
  d.spatial = "서울특별시";
  d.temporal = "2020-01-01/2022-06-30";
  d.issued = "2019-03-04";
  d.modified = "2022-06-30T09:00:00";
  d.category_sub = "교통";
  d.source_key = "15000000";
  d.source = "datago";
  d.is_private = true;
  d.national_priority = true;
  d.standard_dataset = true;
  d.views = 12345;
  d.downloads = 678;
  d.tags = {"주차장", "교통", "parking"};
  d.groups = {"교통물류", "공공행정"};
  Resource r;
  r.id = "res-1";
  r.package_id = d.id;
  r.name = "주차장 목록.csv";
  r.description = "CSV 파일";
  r.url = "https://example.go.kr/files/parking.csv";
  r.format = "CSV";
  r.mimetype = "text/csv";
  r.size = 1048576;
  r.created = "2019-03-04T10:00:00";
  r.last_modified = "2022-06-30T09:00:00";
  r.extras = {{"encoding", "CP949"}, {"행수", "1200"}, {"encoding", "duplicate key kept"}};
  d.resources.push_back(r);
  Resource unknown_size;
  unknown_size.id = "res-2";
  unknown_size.package_id = d.id;
  unknown_size.name = "API";
  unknown_size.url = "https://api.example.go.kr/parking";
  unknown_size.format = "JSON";
  d.resources.push_back(unknown_size);
  d.columns = {{"주차장명", "VARCHAR(100)", "주차장 이름", "주차장명"},
               {"요금", "NUMBER", "기본 요금(원)", ""}};
  d.extras = {{"제공기관코드", "6110000"}, {"empty", ""}, {"분류체계", "교통물류 - 교통"}};
  return d;
}

inline Dataset small_dataset(const std::string& name, const std::string& id = "") {
  Dataset d;
  d.id = id.empty() ? "id-" + name : id;
  d.name = name;
  d.title = "제목 " + name;
  return d;
}

}  // namespace datamap::catalog::testdata
