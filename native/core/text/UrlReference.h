// http(s) URLs as resolved paths and as anchors: what remote content is, and
// how a relative asset path in a remote layer finds its URL (RFC 3986).
#ifndef AR_HTTP_CORE_URL_REFERENCE_H
#define AR_HTTP_CORE_URL_REFERENCE_H

#include <string>
#include <string_view>

namespace arhttp {

// Whether `path` is an absolute http:// or https:// URL with a host: remote
// content, which ar-http downloads. The scheme is matched without case.
bool IsContentUrl(std::string_view path);

// Whether `path` starts with a URI scheme ("s3:", "ftp:"), as RFC 3986 spells
// one; a single letter is a Windows drive ("C:"), not a scheme.
bool HasUriScheme(std::string_view path);

// `reference` resolved against the content URL `base` (RFC 3986 section 5.2,
// dot segments removed): "./geom.usd" in "https://cdn/chair/chair.usd" is
// "https://cdn/chair/geom.usd", "/x.usd" is "https://cdn/x.usd",
// "//other/x.usd" is "https://other/x.usd"; a reference with a scheme is
// itself (dot segments removed). The base's query and fragment never carry
// over but to an empty reference.
std::string ResolveUrlReference(std::string_view base, std::string_view reference);

// "scheme://host[:port]" of a content URL, the scheme and host lower-cased,
// a default port dropped:
// what decides which headers a request may carry.
std::string UrlOrigin(std::string_view url);

// The extension of the last segment of a URL's (or a relative reference's)
// path, without the dot, as TfGetExtension gives a file's ("usdz" for
// "https://cdn/a.usdz?v=3"); empty when that segment has none (no dot, or
// one only at its start or end).
std::string UrlPathExtension(std::string_view url);

// The identifier of `assetPath` written in the layer at `anchor` (a resolved
// path), when URLs decide it: an http(s) URL is itself (dot segments removed);
// in a remote layer (`anchor` a content URL), a path with a scheme, and a
// relative path that starts with ./ or ../ or names a file (its last segment
// has an extension: "geom.usd", "tex/wood.png"), are resolved against
// `anchor` by RFC 3986, as a browser would. Empty where the filesystem's
// rules apply: absolute paths ("/mnt/x.usd" is a file, not the host's root)
// and search-path-style paths without an extension ("chess/King"), which
// are ids for the id server, in a remote layer as in a local one.
std::string UrlIdentifier(std::string_view assetPath, std::string_view anchor);

// Whether `assetPath`, written in a layer inside the package at content URL
// `packageUrl`, names a file of that package: what UrlIdentifier would anchor
// on the URL, URLs aside (Sdf anchors it in the package). Nothing to ask the
// server nor to download.
bool StaysInRemotePackage(std::string_view assetPath, std::string_view packageUrl);

}  // namespace arhttp

#endif
