// What the plugin shows to the programs that link it (and to the USD-linked
// binding, built with hidden visibility): a context's type must be one type
// across libraries, since Ar finds context objects by typeid.
#ifndef AR_HTTP_PLUGIN_API_H
#define AR_HTTP_PLUGIN_API_H

#define AR_HTTP_API __attribute__((visibility("default")))

#endif
