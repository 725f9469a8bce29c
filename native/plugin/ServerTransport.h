// The plugin's server clients and content source: HttpResolvers and
// HttpContentSources made by arHttpTransport, the library beside the
// plugin's own, loaded the first time a server is asked or content fetched.
#ifndef AR_HTTP_PLUGIN_SERVER_TRANSPORT_H
#define AR_HTTP_PLUGIN_SERVER_TRANSPORT_H

#include "core/client/ServerClient.h"
#include "core/content/ContentSource.h"

namespace arhttp {

// Makes clients through arHttpTransport; if it cannot be loaded (said once,
// with the loader's error), clients that answer nothing.
ServerClientFactory LoadedTransport();

// Makes content sources through arHttpTransport; if it cannot be loaded
// (said once), none: content URLs are then unavailable.
ContentSourceFactory LoadedContentTransport();

}  // namespace arhttp

#endif
