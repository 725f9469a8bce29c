#include "HttpResolverSet.h"

namespace arhttp {

HttpResolverSet::HttpResolverSet(const Config& base, std::shared_ptr<LogSink> log,
                                 ServerClientFactory make)
    : _base(base), _log(std::move(log)), _make(std::move(make)) {}

std::shared_ptr<const ServerClient> HttpResolverSet::For(const ServerContext& context) const {
    if (context.IsEmpty()) {
        std::call_once(_defaultMade, [this] { _default = _make(_base, _log); });
        return _default;
    }
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _byKey.find(context.Key());
    if (found != _byKey.end()) {
        _ages.splice(_ages.begin(), _ages, found->second.age);
        return found->second.resolver;
    }
    // Made under the lock: cheap, as no connection opens before a request.
    auto resolver = _make(context.ApplyTo(_base), _log);
    _ages.push_front(context.Key());
    _byKey.emplace(context.Key(), Entry{resolver, _ages.begin()});
    if (_byKey.size() > kMaxContexts) {
        // Resolves under way keep theirs alive through their own reference.
        _byKey.erase(_ages.back());
        _ages.pop_back();
    }
    return resolver;
}

}  // namespace arhttp
