// Where the Node binding stops its backends' background work as Node ends
// (StopBackgroundWork, Backend.h). Two moments, as Node has two ends: the
// cleanup of the last environment using the addon (a drained event loop, a
// worker's end), here; and the main thread's 'exit' event (lib/native/
// binding.ts calls stopBackgroundWork()), since process.exit() joins libuv's
// pool, where async calls wait on downloads, before any cleanup hook runs.
#ifndef AR_HTTP_ADDON_EXIT_STOP_H
#define AR_HTTP_ADDON_EXIT_STOP_H

#include <napi.h>

namespace arhttp::addon {

// Counts one more user of the addon in `env` until that environment's
// cleanup; the cleanup of the last one stops.
void StopAtCleanup(Napi::Env env);

}  // namespace arhttp::addon

#endif
