// GDAL/OGR, loaded the first time a workbook is read (dlopen) instead of at every process start.
// libgdal pulls in ~70 shared libraries (HDF5, netCDF, poppler, image codecs, database clients:
// a process loaded 132 with it linked, 63 without) whose mapping and initialisation cost every
// `datamap` command, server and test process ~0.08 CPU s, though only XLSX/XLS reading needs them.
// The functions below are GDAL's own C API, resolved from the library the build was configured
// against (its soname, DATAMAP_GDAL_SONAME).
#pragma once

#include <gdal/cpl_conv.h>
#include <gdal/cpl_error.h>
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>

namespace datamap::datastore::loader {

struct GdalLibrary {
  decltype(&::GDALOpenEx) OpenEx;
  decltype(&::GDALClose) Close;
  decltype(&::GDALDatasetGetLayerCount) DatasetGetLayerCount;
  decltype(&::GDALDatasetGetLayer) DatasetGetLayer;
  decltype(&::OGR_L_GetLayerDefn) L_GetLayerDefn;
  decltype(&::OGR_L_ResetReading) L_ResetReading;
  decltype(&::OGR_L_GetNextFeature) L_GetNextFeature;
  decltype(&::OGR_FD_GetFieldCount) FD_GetFieldCount;
  decltype(&::OGR_FD_GetFieldDefn) FD_GetFieldDefn;
  decltype(&::OGR_Fld_GetNameRef) Fld_GetNameRef;
  decltype(&::OGR_F_IsFieldSetAndNotNull) F_IsFieldSetAndNotNull;
  decltype(&::OGR_F_GetFieldAsString) F_GetFieldAsString;
  decltype(&::OGR_F_Destroy) F_Destroy;
  decltype(&::CPLPushErrorHandler) PushErrorHandler;
  decltype(&::CPLPopErrorHandler) PopErrorHandler;
  decltype(&::CPLErrorReset) ErrorReset;
  decltype(&::CPLQuietErrorHandler) QuietErrorHandler;
  decltype(&::CPLSetThreadLocalConfigOption) SetThreadLocalConfigOption;
  decltype(&::CPLGetLastErrorMsg) GetLastErrorMsg;
};

// The library, loaded and its drivers registered (GDALAllRegister) once per process, from any
// thread. Throws std::runtime_error naming the library or the function when it cannot be loaded.
const GdalLibrary& gdal();

}  // namespace datamap::datastore::loader
