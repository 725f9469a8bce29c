// A cpp-httplib client whose every exchange runs through a GuardedStream:
// bounded in time and size whatever the server sends.
#ifndef AR_HTTP_CORE_GUARDED_CLIENT_H
#define AR_HTTP_CORE_GUARDED_CLIENT_H

#include "core/settings/Config.h"
#include "core/transport/GuardedStream.h"
#include "core/settings/RequestHeaders.h"
#include "core/settings/ServerUrl.h"

#include <memory>

namespace arhttp {

class GuardedClient {
public:
    // A keep-alive client of `server`'s origin sending `headers`. Made from
    // the parsed host and port: cpp-httplib's URL constructor runs a regex
    // that overflows the stack on long hosts.
    static std::unique_ptr<GuardedClient> Make(const ServerUrl& server, const HeaderList& headers,
                                               const TlsSettings& tls);
    virtual ~GuardedClient() = default;

    virtual httplib::ClientImpl& Http() = 0;

    // Bounds the exchanges that follow.
    void Limit(const ExchangeLimits& limits) { _limits = limits; }
    // How the last exchange ended.
    const GuardOutcome& Outcome() const { return _outcome; }

protected:
    bool Exchange(int socket, SSL* ssl, const std::function<bool(httplib::Stream&)>& callback);

private:
    ExchangeLimits _limits;
    GuardOutcome _outcome;
};

}  // namespace arhttp

#endif
