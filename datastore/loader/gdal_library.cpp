#include "datastore/loader/gdal_library.h"

#include <dlfcn.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace datamap::datastore::loader {
namespace {

template <typename Fn>
void resolve(void* handle, Fn& fn, const char* name) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
  if (!fn)
    throw std::runtime_error(std::string("GDAL (") + DATAMAP_GDAL_SONAME + ") lacks " + name);
}

GdalLibrary load() {
  // RTLD_GLOBAL: GDAL's drivers are part of the library itself, but its plugins (none used here)
  // would look GDAL's symbols up globally.
  void* handle = dlopen(DATAMAP_GDAL_SONAME, RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    const char* why = dlerror();
    throw std::runtime_error(std::string("cannot load GDAL (") + DATAMAP_GDAL_SONAME +
                             "): " + (why ? why : "unknown error"));
  }
  GdalLibrary g{};
  resolve(handle, g.OpenEx, "GDALOpenEx");
  resolve(handle, g.Close, "GDALClose");
  resolve(handle, g.DatasetGetLayerCount, "GDALDatasetGetLayerCount");
  resolve(handle, g.DatasetGetLayer, "GDALDatasetGetLayer");
  resolve(handle, g.L_GetLayerDefn, "OGR_L_GetLayerDefn");
  resolve(handle, g.L_ResetReading, "OGR_L_ResetReading");
  resolve(handle, g.L_GetNextFeature, "OGR_L_GetNextFeature");
  resolve(handle, g.FD_GetFieldCount, "OGR_FD_GetFieldCount");
  resolve(handle, g.FD_GetFieldDefn, "OGR_FD_GetFieldDefn");
  resolve(handle, g.Fld_GetNameRef, "OGR_Fld_GetNameRef");
  resolve(handle, g.F_IsFieldSetAndNotNull, "OGR_F_IsFieldSetAndNotNull");
  resolve(handle, g.F_GetFieldAsString, "OGR_F_GetFieldAsString");
  resolve(handle, g.F_Destroy, "OGR_F_Destroy");
  resolve(handle, g.PushErrorHandler, "CPLPushErrorHandler");
  resolve(handle, g.PopErrorHandler, "CPLPopErrorHandler");
  resolve(handle, g.ErrorReset, "CPLErrorReset");
  resolve(handle, g.QuietErrorHandler, "CPLQuietErrorHandler");
  resolve(handle, g.SetThreadLocalConfigOption, "CPLSetThreadLocalConfigOption");
  resolve(handle, g.GetLastErrorMsg, "CPLGetLastErrorMsg");
  decltype(&::GDALAllRegister) all_register = nullptr;
  resolve(handle, all_register, "GDALAllRegister");
  all_register();
  return g;  // the handle stays open for the process's life
}

}  // namespace

const GdalLibrary& gdal() {
  // A function-local static: initialised once, other threads wait; a throw leaves it
  // uninitialised, so a later call tries again.
  static const GdalLibrary library = load();
  return library;
}

}  // namespace datamap::datastore::loader
