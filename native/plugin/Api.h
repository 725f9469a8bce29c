// What the plugin shows to the programs that link it. The plugin is built
// with hidden visibility (only AR_HTTP_API is seen); a context's type must be
// one type across libraries, since Ar finds context objects by typeid.
#ifndef AR_HTTP_PLUGIN_API_H
#define AR_HTTP_PLUGIN_API_H

#include "pxr/base/arch/export.h"

// ARCH_IMPORT is empty outside Windows, which suits code built with default
// visibility only: the Node binding is built hidden, so it must see these
// declarations as default too.
#if defined(AR_HTTP_EXPORTS) || !defined(_WIN32)
#define AR_HTTP_API ARCH_EXPORT
#else
#define AR_HTTP_API ARCH_IMPORT
#endif

#endif
