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

bool GuardedClient::Exchange(int socket, SSL* ssl,
                             const std::function<bool(httplib::Stream&)>& callback) {
    GuardedStream stream(socket, ssl, _limits, &_outcome);
    return callback(stream);
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
    return made;
}

}  // namespace arhttp
