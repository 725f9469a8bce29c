# OpenUSD, found through its pxrConfig.cmake, and what differs between the releases and layouts
# ar-http builds against, in one place. It sets:
#   AR_HTTP_USD_RELEASE    "24.11"
#   AR_HTTP_USD_LAYOUT     "shared" (a library per package) or "monolithic" (PXR_BUILD_MONOLITHIC: usd_ms)
#   AR_HTTP_USD_LIBRARIES  what the plugin links
#   AR_HTTP_USD_STAGE_LIBRARIES  what a program that opens stages links (test/native's)
#   AR_HTTP_USD_PYTHON     ON when OpenUSD was built with Python: the Python module is built too
# The Ar 2.0 interface ar-http uses is the same from 24.05 to 24.11; boost.python became OpenUSD's
# own pxr_boost::python in 24.11 (native/python/BoostPython.h follows pxr.h on that).

set(PXR_USD_LOCATION "$ENV{PXR_USD_LOCATION}" CACHE PATH
    "OpenUSD install folder (the one holding pxrConfig.cmake)")

# An OpenUSD with Python asks, in its pxrConfig.cmake, for the Python it was built with, by exact
# version: look for it where that interpreter lives (recorded there too), not at the first python3
# on PATH (pyenv's, a virtualenv's), which CMake's FindPython would otherwise take and refuse.
if(NOT DEFINED Python3_ROOT_DIR)
  foreach(folder IN ITEMS "${PXR_USD_LOCATION}" "${pxr_DIR}")
    if(folder AND EXISTS "${folder}/pxrConfig.cmake")
      file(STRINGS "${folder}/pxrConfig.cmake" recorded REGEX "set\\(Python3_EXECUTABLE \\[\\[.+\\]\\]\\)")
      if(recorded MATCHES "\\[\\[(.+)/bin/[^/]+\\]\\]")
        set(Python3_ROOT_DIR "${CMAKE_MATCH_1}")
        break()
      endif()
    endif()
  endforeach()
endif()

find_package(pxr CONFIG QUIET HINTS "${PXR_USD_LOCATION}")
if(NOT pxr_FOUND)
  message(FATAL_ERROR
    "ar-http: OpenUSD was not found. Set PXR_USD_LOCATION to the folder of your OpenUSD "
    "install that holds pxrConfig.cmake (for example: PXR_USD_LOCATION=/opt/openusd "
    "npm run build:usd), or set pxr_DIR to that folder. "
    "PXR_USD_LOCATION is now \"${PXR_USD_LOCATION}\".")
endif()

set(AR_HTTP_USD_TESTED_RELEASES 24.05 24.08 24.11)
# "24.05", as OpenUSD names its releases (pxrConfig.cmake's patch number is 5).
math(EXPR patch "${PXR_PATCH_VERSION} + 100")
string(SUBSTRING "${patch}" 1 2 patch)
set(AR_HTTP_USD_RELEASE "${PXR_MINOR_VERSION}.${patch}")
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
  set(AR_HTTP_USD_STAGE_LIBRARIES usd_ms)
else()
  set(AR_HTTP_USD_LAYOUT shared)
  set(AR_HTTP_USD_LIBRARIES ar tf plug js vt arch)
  set(AR_HTTP_USD_STAGE_LIBRARIES usd)
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
  # The interpreter pxrConfig.cmake recorded, else the one on PATH.
  if(Python3_EXECUTABLE)
    set(AR_HTTP_PYTHON_EXECUTABLE "${Python3_EXECUTABLE}")
  else()
    set(AR_HTTP_PYTHON_EXECUTABLE python3)
  endif()
else()
  set(AR_HTTP_USD_PYTHON OFF)
endif()

if(AR_HTTP_USD_PYTHON)
  set(with_python ", Python ${AR_HTTP_PYTHON_VERSION}")
endif()
message(STATUS "ar-http: OpenUSD ${AR_HTTP_USD_RELEASE} (${AR_HTTP_USD_LAYOUT}${with_python}) from ${pxr_DIR}")
