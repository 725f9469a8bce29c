// AssetPathsInText: the asset paths a .usda text names, outside comments and
// strings. Every text is copied into a buffer of its exact size, with no NUL
// after it, so AddressSanitizer sees any read past its end.
#include "check.h"

#include "core/layers/LayerScanner.h"

#include <memory>

namespace units {

namespace {

using Paths = std::vector<std::string>;

Paths Scan(const std::string& text, size_t size) {
    std::unique_ptr<char[]> exact(new char[size ? size : 1]);
    std::copy(text.data(), text.data() + size, exact.get());
    return arhttp::AssetPathsInText(exact.get(), size);
}

Paths Scan(const std::string& text) {
    return Scan(text, text.size());
}

void Basics() {
    CHECK_EQ(Scan("@a.usda@"), (Paths{"a.usda"}));
    CHECK_EQ(Scan("@@@b@c.usda@@@"), (Paths{"b@c.usda"}));
    CHECK_EQ(Scan("@@@a@@b.usda@@@"), (Paths{"a@@b.usda"}));
    CHECK_EQ(Scan("refs = @/abs/x.usd@</Prim>"), (Paths{"/abs/x.usd"}));
    CHECK_EQ(Scan("@a@ @b@, @@@c@@@ [@d@]"), (Paths{"a", "b", "c", "d"}));
    CHECK_EQ(Scan("@a@@b@"), (Paths{"a", "b"}));
    CHECK_EQ(Scan("@a.usda@\n@b.usda@\r\n@c.usda@"), (Paths{"a.usda", "b.usda", "c.usda"}));
    CHECK_EQ(Scan(""), Paths{});
    CHECK_EQ(Scan("def Xform \"World\" {}"), Paths{});
    // Inside an asset path, '#' and quotes are just characters.
    CHECK_EQ(Scan("@a#b.usda@ @it's.usda@ @say \"hi\".usda@"), (Paths{"a#b.usda", "it's.usda", "say \"hi\".usda"}));
}

void CommentsAndStrings() {
    CHECK_EQ(Scan("# @x.usda@\n@y.usda@"), (Paths{"y.usda"}));
    CHECK_EQ(Scan("@a@ # @x@ @z@\n@b@"), (Paths{"a", "b"}));
    CHECK_EQ(Scan("#usda 1.0\n# only @comments@"), Paths{});
    CHECK_EQ(Scan("\"@no.usda@\" @yes.usda@"), (Paths{"yes.usda"}));
    CHECK_EQ(Scan("'@no.usda@' @yes.usda@"), (Paths{"yes.usda"}));
    CHECK_EQ(Scan("\"a\\\"@no@\\\"b\" @yes@"), (Paths{"yes"}));        // "a\"@no@\"b"
    CHECK_EQ(Scan("'it\\'s @no@' @yes@"), (Paths{"yes"}));             // 'it\'s @no@'
    CHECK_EQ(Scan("\"back\\\\\" @yes@"), (Paths{"yes"}));              // "back\\" ends there
    CHECK_EQ(Scan("\"it's @no@\" @yes@"), (Paths{"yes"}));             // a ' inside "..."
    CHECK_EQ(Scan("'say \"@no@\"' @yes@"), (Paths{"yes"}));
    CHECK_EQ(Scan("\"# not a comment\" @yes@"), (Paths{"yes"}));
    CHECK_EQ(Scan("\"\"\"doc @no@ here\"\"\" @yes@"), (Paths{"yes"}));  // one-line """..."""
    // A string ends at its line's end at the latest.
    CHECK_EQ(Scan("\"unclosed @no@\n@yes@"), (Paths{"yes"}));
    CHECK_EQ(Scan("\"unclosed @no@"), Paths{});
}

void Odd() {
    CHECK_EQ(Scan("@@"), Paths{});
    CHECK_EQ(Scan("@@ @a@"), (Paths{"a"}));
    CHECK_EQ(Scan("x = @@, y = @b@"), (Paths{"b"}));
    CHECK_EQ(Scan("@@@@@@ @c@"), (Paths{"c"}));
    // An '@' left open on its line names nothing.
    CHECK_EQ(Scan("@open.usda\n@b@"), (Paths{"b"}));
    CHECK_EQ(Scan("mail me@example.com\n@b@"), (Paths{"b"}));
    CHECK_EQ(Scan("@@@open@@\n@@@b@@@"), (Paths{"b"}));
    // At-signs at the very end of the buffer.
    CHECK_EQ(Scan("@a@ @"), (Paths{"a"}));
    CHECK_EQ(Scan("@"), Paths{});
    CHECK_EQ(Scan("@a@@"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ @@@"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ @@@b@@"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ @@@b@"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ @b"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ #"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ # @b@"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ \"\\"), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ '"), (Paths{"a"}));
    // The size given, not a NUL, ends the text.
    CHECK_EQ(Scan("@a@ @b@", 6), (Paths{"a"}));
    CHECK_EQ(Scan("@a@ @b@", 7), (Paths{"a", "b"}));
    CHECK_EQ(Scan("@a@", 2), Paths{});
    CHECK_EQ(Scan("@@@a@@@", 6), Paths{});
    CHECK_EQ(Scan("@a@", 0), Paths{});
    CHECK_EQ(Scan(std::string("@a\0b@ @c@", 9)), (Paths{std::string("a\0b", 3), "c"}));
}

void Layer() {
    const std::string layer = R"usda(#usda 1.0
(
    defaultPrim = "World"
    doc = """Made by @someone@ for the tests"""
    subLayers = [
        @./sub/lighting.usda@,
        @@@odd@name.usda@@@
    ]
)

# def "Old" (references = @old/commented.usda@) {}
def Xform "World" (
    prepend references = @chess/King.usd@</World/King>
    payload = @http://example.com/heavy.usdc@
)
{
    asset texture = @textures/wood.png@   # was @textures/oak.png@
    asset[] frames = [@a.exr@, @b.exr@]
    string note = "see @not/an/asset.usda@"
    string quip = 'or @this.usda@, it\'s a string'
    def "Child" (references = [@../lib/x.usda@</X>, @y.usda@]) {}
    over "Other" (
        payload = @@@with@at.usdc@@@</P>
    ) {}
}
)usda";
    CHECK_EQ(Scan(layer), (Paths{"./sub/lighting.usda", "odd@name.usda", "chess/King.usd",
                                 "http://example.com/heavy.usdc", "textures/wood.png", "a.exr", "b.exr",
                                 "../lib/x.usda", "y.usda", "with@at.usdc"}));
}

}  // namespace

void Scanner() {
    Basics();
    CommentsAndStrings();
    Odd();
    Layer();
}

}  // namespace units
