# What differs between the OpenUSD releases and layouts ar-http builds against, in one place.
# After find_package(pxr), it sets:
#   AR_HTTP_USD_RELEASE    "24.11"
#   AR_HTTP_USD_LAYOUT     "shared" (a library per package) or "monolithic" (PXR_BUILD_MONOLITHIC: usd_ms)
#   AR_HTTP_USD_LIBRARIES  what the plugin links
#   AR_HTTP_USD_PYTHON     ON when OpenUSD was built with Python: the Python module is built too
# The Ar 2.0 interface ar-http uses is the same from 24.05 to 24.11; boost.python became OpenUSD's
# own pxr_boost::python in 24.11 (native/python/BoostPython.h follows pxr.h on that).

set(AR_HTTP_USD_TESTED_RELEASES 24.05 24.08 24.11)
set(AR_HTTP_USD_RELEASE "${PXR_MINOR_VERSION}.${PXR_PATCH_VERSION}")
if(PXR_VERSION VERSION_LESS 2105)
  message(FATAL_ERROR "ar-http: OpenUSD ${AR_HTTP_USD_RELEASE} predates Ar 2.0 (21.05), which ArHttpResolver "
    "implements; build against OpenUSD ${AR_HTTP_USD_TESTED_RELEASES} (tested)")
elseif(NOT AR_HTTP_USD_RELEASE IN_LIST AR_HTTP_USD_TESTED_RELEASES)
  message(WARNING "ar-http: OpenUSD ${AR_HTTP_USD_RELEASE} is not among the releases tested "
    "(${AR_HTTP_USD_TESTED_RELEASES}): run the USD suites (npm test) before relying on this build")
endif()

if(TARGET usd_ms)
  set(AR_HTTP_USD_LAYOUT monolithic)
  set(AR_HTTP_USD_LIBRARIES usd_ms)
else()
  set(AR_HTTP_USD_LAYOUT shared)
  set(AR_HTTP_USD_LIBRARIES ar tf plug js vt arch)
endif()

# pxr.h holds "#if 1" (or "#if 0") before "#define PXR_PYTHON_SUPPORT_ENABLED".
file(READ "${PXR_INCLUDE_DIRS}/pxr/pxr.h" pxr_h)
if(pxr_h MATCHES "#if 1[ \t]*\n#define PXR_PYTHON_SUPPORT_ENABLED")
  set(AR_HTTP_USD_PYTHON ON)
  # pxrConfig.cmake found the Python OpenUSD was built with.
  if(NOT TARGET Python3::Python)
    find_package(Python3 COMPONENTS Development REQUIRED)
  endif()
  set(AR_HTTP_PYTHON_VERSION "${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}")
else()
  set(AR_HTTP_USD_PYTHON OFF)
endif()

if(AR_HTTP_USD_PYTHON)
  set(with_python ", Python ${AR_HTTP_PYTHON_VERSION}")
endif()
message(STATUS "ar-http: OpenUSD ${AR_HTTP_USD_RELEASE} (${AR_HTTP_USD_LAYOUT}${with_python}) from ${pxr_DIR}")
