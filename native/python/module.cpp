// The Python module ArHttp (_arHttp.so): ar-http's resolver context, for
// Ar.ResolverContext(ArHttp.Context(...)), as Pixar's usdResolverExample does.
#include "pxr/pxr.h"
#include "pxr/base/tf/pyModule.h"

TF_WRAP_MODULE {
    TF_WRAP(ArHttpContext);
}
