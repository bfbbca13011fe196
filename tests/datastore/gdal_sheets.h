// An XLSX file read back by GDAL/OGR (the library the loader reads workbooks with), as an
// independent reader of the downloads the DataStore writes: every sheet as text rows, its header
// row first (HEADERS=FORCE), empty cells as "". No sheets when GDAL cannot open the file.
#pragma once

#include <string>
#include <vector>

namespace datamap::testing {

using SheetRows = std::vector<std::vector<std::string>>;
std::vector<SheetRows> gdal_sheets(const std::string& path);

}  // namespace datamap::testing
