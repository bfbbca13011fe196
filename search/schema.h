// The index's layout: term prefixes, value slots and the facet fields, in one place so the
// document builder, the filter parser and the searcher cannot disagree. Changing any of this
// bumps kSchemaVersion: a server finding an index of another version rebuilds it in the background.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace datamap::search::schema {

inline constexpr const char* kSchemaVersion = "7";

// Free-text terms carry no prefix (their wdf is weighted by field, CKAN's name^4 title^4 tags^2
// groups^2 text); title terms are also kept under "S" with positions, for phrase and prefix
// (autocomplete) matching.
inline constexpr const char* kTitle = "S";
inline constexpr const char* kExactTitle = "XT";  // whole folded title without spaces
// The loose romanisation key (romanization.h) of each title and agency word the vocabulary does
// not know (궁을가 -> XRgungeulga, 주왕산 -> XRjuwangsan), so an English query that spells a place
// or name in Latin letters finds it; vocabulary words are reached at query time instead. Kept
// with wdf 0 (outside the document length BM25 normalises by) and weighted by the query.
inline constexpr const char* kRomanized = "XR";

// Boolean filter terms: prefix + exact value.
inline constexpr const char* kId = "Q";
inline constexpr const char* kName = "XNAME";
inline constexpr const char* kOrgName = "XORG";
inline constexpr const char* kOrgId = "XOID";
inline constexpr const char* kGroup = "XGRP";
inline constexpr const char* kTag = "XTAG";
inline constexpr const char* kFormat = "XFMT";
inline constexpr const char* kType = "XTYPE";
inline constexpr const char* kLicense = "XLIC";
inline constexpr const char* kNationalPriority = "XNP";  // "true" | "false"
inline constexpr const char* kStandard = "XSTD";         // "true" | "false"
inline constexpr const char* kCategorySub = "XSUB";
inline constexpr const char* kFrequency = "XFREQ";
inline constexpr const char* kSource = "XSRC";
// A column the dataset has: its name, standard term or semantic type (the dataset's declared
// columns and its resources' loaded column profiles), e.g. fq=columns:법정동코드.
inline constexpr const char* kColumn = "XCOL";
inline constexpr const char* kQualityRating = "XQR";   // catalog::quality rating name
inline constexpr const char* kPublic = "XPUBLIC";      // the one term every public dataset has
inline constexpr const char* kPrivateOrg = "XPRIV";    // + owner org id, on private datasets
// Drafts and deleted datasets are indexed too (package_search's include_drafts/include_deleted),
// hidden unless asked for: they carry neither kPublic nor kPrivateOrg but their state, and the
// term of the organization whose editors may see them (CKAN: those are the editors' business).
inline constexpr const char* kState = "XSTATE";   // + "draft" | "deleted"; none when active
inline constexpr const char* kEditOrg = "XEDIT";  // + owner org id, on drafts and deleted ones
inline constexpr const char* kCapacityPrivate = "XCAPPRIV";  // every private dataset, any state

// Value slots.
inline constexpr Xapian::valueno kFacets = 0;    // every facet value of the document, see facets.h
inline constexpr Xapian::valueno kModified = 1;  // metadata_modified, ISO 8601
inline constexpr Xapian::valueno kCreated = 2;   // metadata_created
inline constexpr Xapian::valueno kTitleSort = 3;
inline constexpr Xapian::valueno kViews = 4;  // sortable_serialise
inline constexpr Xapian::valueno kDownloads = 5;
inline constexpr Xapian::valueno kNameSort = 6;
inline constexpr Xapian::valueno kIdValue = 7;  // tie-break, so an order is total
inline constexpr Xapian::valueno kIssued = 8;
inline constexpr Xapian::valueno kModifiedSource = 9;  // the source's own `modified`
// log10(1 + views) + kQualityPrior × quality score/max, sortable_serialise: a small popularity
// and quality prior in relevance ranking
inline constexpr Xapian::valueno kPopularity = 10;
// The metadata quality score as points/max (catalog/quality_score.h), sortable_serialise
inline constexpr Xapian::valueno kQuality = 11;

// The metadata quality score's share of the ranking prior, in decades of views: the best-scored
// dataset counts as if it had 10^kQualityPrior times the views of one scoring nothing.
inline constexpr double kQualityPrior = 0.5;

// Metadata keys.
inline constexpr const char* kRevisionKey = "datamap.revision";
inline constexpr const char* kSchemaKey = "datamap.schema";

// Field weights, applied as wdf increments on the unprefixed free-text terms.
inline constexpr int kWeightTitle = 4;
inline constexpr int kWeightName = 4;
inline constexpr int kWeightTags = 2;
inline constexpr int kWeightGroups = 2;
inline constexpr int kWeightAgency = 2;
inline constexpr int kWeightText = 1;

// Xapian's limit on a term is 245 bytes; longer words are not worth indexing.
inline constexpr std::size_t kMaxTermBytes = 120;

}  // namespace datamap::search::schema
