// The entry of arHttpTransport, the library that holds the plugin's HTTP half
// (HttpResolver, HttpContentSource, cpp-httplib, OpenSSL): the plugin loads
// it the first time a server is asked or content is fetched (native/plugin/ServerTransport.cpp), so that USD sessions
// that resolve only local paths never pay for loading it.
#include "core/transport/HttpContentSource.h"
#include "core/transport/HttpResolver.h"

#include <openssl/ssl.h>

#if defined(_WIN32)
#define AR_HTTP_TRANSPORT_ENTRY extern "C" __declspec(dllexport)
#else
#define AR_HTTP_TRANSPORT_ENTRY extern "C" __attribute__((visibility("default")))
#endif

// A new HttpResolver for `config`, owned by the caller; null if none could be made.
AR_HTTP_TRANSPORT_ENTRY arhttp::ServerClient* ArHttpMakeServerClient(
    const arhttp::Config* config, const std::shared_ptr<arhttp::LogSink>* log) noexcept {
    try {
        return new arhttp::HttpResolver(*config, *log);
    } catch (...) {
        return nullptr;
    }
}

// A new HttpContentSource for `config`, owned by the caller; null if none could be made.
AR_HTTP_TRANSPORT_ENTRY arhttp::ContentSource* ArHttpMakeContentSource(const arhttp::Config* config) noexcept {
    try {
        return new arhttp::HttpContentSource(*config);
    } catch (...) {
        return nullptr;
    }
}

// Initialises OpenSSL now, before the loader registers its exit handler:
// OpenSSL's own clean-up, registered at its first use, then runs after it.
AR_HTTP_TRANSPORT_ENTRY void ArHttpInitTransport() noexcept {
    OPENSSL_init_ssl(0, nullptr);
}
