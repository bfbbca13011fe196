// The data.go.kr list's columns, recognised by header name (never by position) in both the
// 13-column 2022 layout and the current 36-column one. A header with no model field maps to
// `extra` and its values are kept in the dataset's extras under the Korean header.
#pragma once

#include <string>
#include <string_view>

namespace datamap::catalog::importer {

enum class DatagoField {
  extra,
  key,                // 목록키
  type,               // 목록유형
  title,              // 목록명
  notes,              // 설명 / 목록설명
  views,              // 조회수
  category,           // 분류체계
  org_code,           // 제공기관코드 / 기관코드
  org_name,           // 제공기관 / 기관명
  national_priority,  // 국가중점여부
  standard_dataset,   // 표준데이터여부
  issued,             // 등록일 / 목록 등록일
  modified,           // 수정일 / 목록 수정일
  url,                // 목록 URL
  maintainer,         // 관리 부서명
  maintainer_phone,   // 관리부서 전화번호
  frequency,          // 업데이트 주기
  next_update,        // 차기 등록 예정일
  formats,            // 확장자(데이터포맷)
  keywords,           // 키워드
  downloads,          // 다운로드_활용신청건수
  spatial,            // 공간범위
  temporal,           // 시간범위
  license,            // 이용허락범위
  file_name,          // 파일데이터명 (also kept in extras)
};

// Header text is compared without spaces, BOM or ASCII case ("목록 URL" = "목록URL").
DatagoField datago_field(std::string_view header);

// The stable ASCII group name of a data.go.kr main category (공공행정 -> public-administration);
// an unknown category gets "category-" plus a hash of its title, so it is stable too.
std::string datago_group_name(std::string_view category_title);

}  // namespace datamap::catalog::importer
