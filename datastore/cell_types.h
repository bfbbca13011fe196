// Converting a value to a field's type (CKAN DataStore types, table_store.h), shared by every
// backend and by callers that parse text (filters, conditions): one rule for what fits.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "datastore/table_store.h"

namespace datamap::datastore {

// `value` as a value of `type`: null stays null; int takes integers (and integral numbers,
// and text holding one), numeric any number, bool true/false/t/f/yes/no/y/n/1/0, date
// YYYY-MM-DD (also YYYYMMDD, YYYY.MM.DD, YYYY/MM/DD, normalised to YYYY-MM-DD), timestamp
// an ISO 8601 date and time (kept as given, 'T' between them), text anything (numbers in
// decimal, bools as true/false). nullopt: the value does not fit; *why says how.
std::optional<Cell> convert_cell(const Cell& value, std::string_view type, std::string* why);

// A value as text, as it is written in CSV and full-text documents ("" for null).
std::string cell_text(const Cell& value);

}  // namespace datamap::datastore
