// The core's warnings on their way to JavaScript (process.emitWarning with
// their code, lib/native/warnings.ts): from any thread to the listener a
// Node thread registered, called there when its event loop turns.
#ifndef AR_HTTP_ADDON_WARNING_LISTENERS_H
#define AR_HTTP_ADDON_WARNING_LISTENERS_H

#include "core/log/LogSink.h"

#include <napi.h>

#include <string>

namespace arhttp::addon {

// `listener(code, message)` receives the warnings while `env` lives (its
// earlier one, if any, is replaced). The backend is the process's: with
// listeners on several threads, the one registered first and still alive
// gets each warning, once. A listener never keeps the process alive.
void ListenForWarnings(Napi::Env env, Napi::Function listener);

// Hands a warning to the listener; false when there is none (or its queue is closing).
bool DeliverWarning(WarningCode code, const std::string& message);

// The standalone backend's sink: warnings to the listener, else to stderr
// as ever; debug lines (TF_DEBUG=AR_HTTP) always to stderr.
class NodeLogSink final : public StderrLogSink {
public:
    void Warn(WarningCode code, const std::string& message) override;
};

// Makes the backend's warnings reach DeliverWarning (the USD-linked backend
// must tell ArHttpResolver; the standalone one uses NodeLogSink already).
void RouteWarningsToNode();

}  // namespace arhttp::addon

#endif
