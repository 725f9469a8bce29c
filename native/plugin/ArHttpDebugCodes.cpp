#include "ArHttpDebugCodes.h"

#include "pxr/base/tf/registryManager.h"

PXR_NAMESPACE_OPEN_SCOPE

TF_REGISTRY_FUNCTION(TfDebug)
{
    TF_DEBUG_ENVIRONMENT_SYMBOL(AR_HTTP, "ArHttpResolver: what each asset path resolved to and which way, and each HTTP request");
}

PXR_NAMESPACE_CLOSE_SCOPE
