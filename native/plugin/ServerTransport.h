// The plugin's server clients: HttpResolvers made by arHttpTransport, the
// library beside the plugin's own, loaded the first time a server is asked.
#ifndef AR_HTTP_PLUGIN_SERVER_TRANSPORT_H
#define AR_HTTP_PLUGIN_SERVER_TRANSPORT_H

#include "core/client/ServerClient.h"

namespace arhttp {

// Makes clients through arHttpTransport; if it cannot be loaded (said once,
// with the loader's error), clients that answer nothing.
ServerClientFactory LoadedTransport();

}  // namespace arhttp

#endif
