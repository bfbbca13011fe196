#include "tests/datastore/gdal_sheets.h"

#include "datastore/loader/gdal_library.h"

namespace datamap::testing {

std::vector<SheetRows> gdal_sheets(const std::string& path) {
  const auto& g = datastore::loader::gdal();
  const char* options[] = {"HEADERS=FORCE", "FIELD_TYPES=STRING", nullptr};
  GDALDatasetH ds =
      g.OpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, options, nullptr);
  std::vector<SheetRows> sheets;
  if (!ds) return sheets;
  for (int l = 0; l < g.DatasetGetLayerCount(ds); ++l) {
    OGRLayerH layer = g.DatasetGetLayer(ds, l);
    OGRFeatureDefnH defn = g.L_GetLayerDefn(layer);
    SheetRows sheet(1);
    for (int i = 0; i < g.FD_GetFieldCount(defn); ++i)
      sheet[0].emplace_back(g.Fld_GetNameRef(g.FD_GetFieldDefn(defn, i)));
    g.L_ResetReading(layer);
    while (OGRFeatureH f = g.L_GetNextFeature(layer)) {
      sheet.emplace_back();
      for (int i = 0; i < g.FD_GetFieldCount(defn); ++i)
        sheet.back().emplace_back(g.F_IsFieldSetAndNotNull(f, i) ? g.F_GetFieldAsString(f, i) : "");
      g.F_Destroy(f);
    }
    sheets.push_back(std::move(sheet));
  }
  g.Close(ds);
  return sheets;
}

}  // namespace datamap::testing
