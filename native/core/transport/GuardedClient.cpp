#include "core/transport/GuardedClient.h"

namespace arhttp {

namespace {

// cpp-httplib calls its private virtual process_socket for each exchange,
// after connecting (and the TLS handshake): overriding it puts a
// GuardedStream under every byte it reads or writes.
template <class Base>
class Guarded final : public Base, public GuardedClient {
public:
    using Base::Base;
    httplib::ClientImpl& Http() override { return *this; }

private:
    bool process_socket(const typename Base::Socket& socket,
                        std::function<bool(httplib::Stream&)> callback) override {
        return Exchange(socket.sock, socket.ssl, callback);
    }
};

}  // namespace

struct GuardedClient::Pending {
    std::string request;  // the request line, the headers and the body
    size_t maxBody;
    const std::function<void(const ResponseHead&)>& onHead;
    const GuardedStream::BodySink& sink;
    ResponseHead* head;
    bool ran = false;
    bool whole = false;
    httplib::Error error = httplib::Error::Success;
};

bool GuardedClient::Exchange(int socket, SSL* ssl,
                             const std::function<bool(httplib::Stream&)>& callback) {
    GuardedStream stream(socket, ssl, _limits, &_outcome);
    return _pending ? ExchangeSent(stream, *_pending) : callback(stream);
}

bool GuardedClient::ExchangeSent(GuardedStream& stream, Pending& pending) {
    pending.ran = true;
    if (!stream.WriteAll(pending.request.data(), pending.request.size())) {
        pending.error = httplib::Error::Write;
        return false;
    }
    ResponseHead* head = stream.FinalHead();
    if (!head) {
        pending.error = httplib::Error::Read;
        return false;
    }
    if (pending.onHead) pending.onHead(*head);
    bool reusable = false;
    if (head->status != 200 && head->Header("content-length").empty() &&
        head->Header("transfer-encoding").empty()) {
        // Its body ends only with the connection: not waited for.
        pending.whole = true;
    } else {
        pending.whole = stream.ReadBody(pending.maxBody,
                                        head->status == 200 ? pending.sink : GuardedStream::BodySink(), &reusable);
    }
    *pending.head = std::move(*head);
    if (!pending.whole) pending.error = httplib::Error::Read;
    return reusable;
}

bool GuardedClient::Send(const char* method, const std::string& target, const HeaderList& headers,
                         const std::string* body, size_t maxBody, Answer* answer, httplib::Error* error) {
    std::string& kept = answer->body;
    return Send(method, target, headers, body, maxBody, {},
                [&kept](const char* data, size_t size) {
                    kept.append(data, size);
                    return true;
                },
                &answer->head, error);
}

bool GuardedClient::Send(const char* method, const std::string& target, const HeaderList& headers,
                         const std::string* body, size_t maxBody,
                         const std::function<void(const ResponseHead&)>& onHead, const GuardedStream::BodySink& sink,
                         ResponseHead* head, httplib::Error* error) {
    Pending pending{std::string(), maxBody, onHead, sink, head};
    std::string& request = pending.request;
    request.reserve(target.size() + _ownHeaders.size() + 128 + (body ? body->size() : 0));
    request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n").append(_ownHeaders);
    for (const auto& [name, value] : headers) request.append(name).append(": ").append(value).append("\r\n");
    if (body) request.append("Content-Length: ").append(std::to_string(body->size())).append("\r\n");
    request.append("\r\n");
    if (body) request.append(*body);

    // cpp-httplib connects for this request, never sends it: the exchange is ExchangeSent's.
    httplib::Request carrier;
    carrier.method = method;
    carrier.path = target;
    httplib::Response unused;
    *error = httplib::Error::Success;
    _pending = &pending;
    // False too when the connection is not to be kept: then it is closed.
    Http().send(carrier, unused, *error);
    _pending = nullptr;
    if (pending.ran) *error = pending.error;
    return pending.whole;
}

std::unique_ptr<GuardedClient> GuardedClient::Make(const ServerUrl& server,
                                                   const HeaderList& headerList,
                                                   const TlsSettings& tls) {
    std::unique_ptr<GuardedClient> made;
    if (server.IsHttps()) {
        auto client = std::make_unique<Guarded<httplib::SSLClient>>(server.Host(), server.Port());
        client->enable_server_certificate_verification(tls.verify);
        if (!tls.caFile.empty() || !tls.caDir.empty()) client->set_ca_cert_path(tls.caFile, tls.caDir);
        made = std::move(client);
    } else {
        made = std::make_unique<Guarded<httplib::ClientImpl>>(server.Host(), server.Port());
    }
    httplib::ClientImpl& client = made->Http();
    client.set_keep_alive(true);
    // A request must leave at once, not wait on Nagle's algorithm for an ACK.
    client.set_tcp_nodelay(true);
    // The path format already percent-encoded the asset path.
    client.set_url_encode(false);
    // HttpResolver follows redirects itself, within its rules.
    client.set_follow_location(false);
    httplib::Headers headers;
    for (const auto& [name, value] : headerList) headers.emplace(name, value);
    client.set_default_headers(std::move(headers));

    // As cpp-httplib would send them, but for Accept-Encoding: Send reads no encoded body.
    const std::string host =
        server.Host().find(':') == std::string::npos ? server.Host() : "[" + server.Host() + "]";
    const bool defaultPort = server.Port() == (server.IsHttps() ? 443 : 80);
    made->_ownHeaders = "Host: " + (defaultPort ? host : host + ":" + std::to_string(server.Port())) +
                        "\r\nAccept: */*\r\nAccept-Encoding: identity\r\nUser-Agent: cpp-httplib/" +
                        CPPHTTPLIB_VERSION + "\r\n";
    for (const auto& [name, value] : headerList) made->_ownHeaders += name + ": " + value + "\r\n";
    return made;
}

}  // namespace arhttp
