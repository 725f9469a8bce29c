// The plugin's server clients and content source: HttpResolvers and
// HttpContentSources made by arHttpTransport, the library beside the
// plugin's own, loaded the first time a server is asked or content fetched.
#ifndef AR_HTTP_PLUGIN_SERVER_TRANSPORT_H
#define AR_HTTP_PLUGIN_SERVER_TRANSPORT_H

#include "core/client/ServerClient.h"
#include "core/content/ContentSource.h"

namespace arhttp {

// Has `stop` run at the process's exit, before arHttpTransport's statics
// and OpenSSL's go: its handler is registered when that library is loaded,
// after OpenSSL is initialised, as the work it stops (downloads ahead, which
// may run past the first content served from the cache) can only run once
// the library is. The last one given counts.
void SetTransportExitStop(void (*stop)());

// Loads arHttpTransport now (said once, with the loader's error, when it
// cannot be): for TF_DEBUG=AR_HTTP's line at load. Its path in `*library`.
bool TransportLoads(std::string* library);

// Makes clients through arHttpTransport; if it cannot be loaded (said once,
// with the loader's error), clients that answer nothing.
ServerClientFactory LoadedTransport();

// Makes content sources through arHttpTransport; if it cannot be loaded
// (said once), none: content URLs are then unavailable.
ContentSourceFactory LoadedContentTransport();

}  // namespace arhttp

#endif
