#include "HttpResolverSet.h"

namespace arhttp {

HttpResolverSet::HttpResolverSet(const Config& base, std::shared_ptr<LogSink> log)
    : _base(base), _log(std::move(log)), _default(std::make_shared<const HttpResolver>(_base, _log)) {}

std::shared_ptr<const HttpResolver> HttpResolverSet::For(const ServerContext& context) const {
    if (context.IsEmpty()) return _default;
    std::lock_guard<std::mutex> lock(_mutex);
    const auto found = _byKey.find(context.Key());
    if (found != _byKey.end()) {
        _ages.splice(_ages.begin(), _ages, found->second.age);
        return found->second.resolver;
    }
    // Made under the lock: cheap, as no connection opens before a request.
    auto resolver = std::make_shared<const HttpResolver>(context.ApplyTo(_base), _log);
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
