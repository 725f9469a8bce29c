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

    // The answer of Send: its head (status 0 when none came) and the body of a 200.
    struct Answer {
        ResponseHead head;
        std::string body;
    };
    // One exchange (the resolver's GETs and POSTs, the content cache's
    // downloads), on the client's connection, written and read here by
    // GuardedStream: cpp-httplib only connects. Its Request, Response and
    // parsers cost more CPU than the system calls of a keep-alive exchange,
    // and its function-local statics go at exit while downloads ahead may
    // still parse. The body is asked unencoded; a body over `maxBody`
    // bytes, encoded or framed otherwise than by length, chunks or the
    // connection's end is refused. `onHead`, unless empty, sees the final
    // head before its body is read; a 200's body goes to `sink` as it comes.
    // Another answer's body is read only when framed, to keep the
    // connection, and not kept. True once the whole answer came; else
    // `error` (cpp-httplib's connecting errors, or Read and Write) and
    // Outcome() say why, and a status may have come.
    bool Send(const char* method, const std::string& target, const HeaderList& headers,
              const std::string* body, size_t maxBody, const std::function<void(const ResponseHead&)>& onHead,
              const GuardedStream::BodySink& sink, ResponseHead* head, httplib::Error* error);
    // The same, the body of a 200 kept in `answer`.
    bool Send(const char* method, const std::string& target, const HeaderList& headers,
              const std::string* body, size_t maxBody, Answer* answer, httplib::Error* error);

protected:
    bool Exchange(int socket, SSL* ssl, const std::function<bool(httplib::Stream&)>& callback);

private:
    struct Pending;
    // Writes and reads the exchange of Send; whether the connection may carry another.
    bool ExchangeSent(GuardedStream& stream, Pending& pending);

    ExchangeLimits _limits;
    GuardOutcome _outcome;
    // What every request of Send says after its request line: Host, Accept,
    // User-Agent and the client's headers.
    std::string _ownHeaders;
    // The exchange Send has under way, for Exchange.
    Pending* _pending = nullptr;
};

}  // namespace arhttp

#endif
