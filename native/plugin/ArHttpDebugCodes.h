#ifndef AR_HTTP_PLUGIN_DEBUG_CODES_H
#define AR_HTTP_PLUGIN_DEBUG_CODES_H

#include "pxr/pxr.h"
#include "pxr/base/tf/debug.h"

PXR_NAMESPACE_OPEN_SCOPE

TF_DEBUG_CODES(
    AR_HTTP
);

PXR_NAMESPACE_CLOSE_SCOPE

#endif
