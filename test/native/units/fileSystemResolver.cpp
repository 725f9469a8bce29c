// FileSystemResolver: path normalisation, search paths, and resolution of
// files in a temporary folder.
#include "check.h"

#include "core/local/FileSystemResolver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace units {

namespace {

using arhttp::FileSystemResolver;

void Touch(const std::string& path) {
    std::ofstream(path) << "#usda 1.0\n";
}

void PathRules() {
    CHECK_EQ(FileSystemResolver::NormPath("a/./b/../c"), "a/c");
    CHECK_EQ(FileSystemResolver::NormPath("/../a"), "/a");
    CHECK_EQ(FileSystemResolver::NormPath("//a//b/"), "/a/b");
    CHECK_EQ(FileSystemResolver::NormPath(""), "");
    CHECK_EQ(FileSystemResolver::NormPath("../x"), "../x");
    CHECK_EQ(FileSystemResolver::NormPath("../../x/.."), "../..");
    CHECK_EQ(FileSystemResolver::NormPath("a/.."), ".");
    CHECK_EQ(FileSystemResolver::NormPath("./a"), "a");
    CHECK_EQ(FileSystemResolver::NormPath("/"), "/");
    CHECK_EQ(FileSystemResolver::NormPath("/a/b/../../.."), "/");
    CHECK_EQ(FileSystemResolver::NormPath("a/b/c"), "a/b/c");

    CHECK(FileSystemResolver::IsSearchPath("b.usda"));
    CHECK(FileSystemResolver::IsSearchPath("a/b.usda"));
    CHECK(FileSystemResolver::IsSearchPath(".hidden/b.usda"));
    CHECK(!FileSystemResolver::IsSearchPath("./b.usda"));
    CHECK(!FileSystemResolver::IsSearchPath("../b.usda"));
    CHECK(!FileSystemResolver::IsSearchPath("/a/b.usda"));
    CHECK(!FileSystemResolver::IsSearchPath(""));

    const auto folders = FileSystemResolver::ParseSearchPath("/one::/two/./x/..:");
    CHECK_EQ(folders, (std::vector<std::string>{"/one", "/two"}));
    CHECK(FileSystemResolver::ParseSearchPath("").empty());
}

void Resolution() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp == '/' ? tmp : "/tmp") + "/ar-http-units-XXXXXX";
    if (!CHECK(mkdtemp(&pattern[0]) != nullptr)) return;
    const std::string folder = FileSystemResolver::NormPath(pattern);
    const std::string other = folder + "/other";
    const std::string unique = "units-" + folder.substr(folder.rfind('-') + 1);
    const std::string name = unique + ".usda";  // not in the working directory
    const std::string file = folder + "/" + name;
    CHECK(mkdir((folder + "/sub").c_str(), 0700) == 0);
    CHECK(mkdir(other.c_str(), 0700) == 0);
    Touch(file);
    Touch(folder + "/sub/deep.usda");
    Touch(other + "/" + name);
    Touch(other + "/only-other.usda");

    const FileSystemResolver none({});
    CHECK_EQ(none.Resolve(file), file);
    CHECK_EQ(none.Resolve(folder + "//sub/.././" + name), file);
    CHECK_EQ(none.Resolve(folder + "/missing.usda"), "");
    CHECK_EQ(none.Resolve(""), "");
    // A NUL would cut the path short at the system call, naming `file`.
    CHECK_EQ(none.Resolve(file + std::string(1, '\0') + "x"), "");
    CHECK_EQ(none.Resolve(file + std::string(1, '\0')), "");
    CHECK_EQ(none.Resolve(folder + "/sub" + std::string(1, '\0') + "/deep.usda"), "");
    CHECK_EQ(none.Resolve(name), "");  // no search path

    const FileSystemResolver searching({folder, other});
    CHECK_EQ(searching.Resolve(name), file);  // in order: the first folder wins
    CHECK_EQ(searching.Resolve("sub/deep.usda"), folder + "/sub/deep.usda");
    CHECK_EQ(searching.Resolve("sub/./../sub/deep.usda"), folder + "/sub/deep.usda");
    CHECK_EQ(searching.Resolve("only-other.usda"), other + "/only-other.usda");
    CHECK_EQ(searching.Resolve("./" + name), "");   // file-relative: never searched
    CHECK_EQ(searching.Resolve("../" + name), "");
    CHECK_EQ(searching.Resolve("missing.usda"), "");
    CHECK_EQ(searching.Resolve(name + std::string(1, '\0')), "");
    CHECK_EQ(FileSystemResolver({other, folder}).Resolve(name), other + "/" + name);

    // Anchoring: a search-path-style path found next to the anchor is
    // anchored; one not found stays a search path.
    CHECK_EQ(none.CreateIdentifier(name, folder + "/anchor.usda"), file);
    CHECK_EQ(none.CreateIdentifier("nowhere.usda", folder + "/anchor.usda"), "nowhere.usda");
    CHECK_EQ(none.CreateIdentifier("./nowhere.usda", folder + "/anchor.usda"), folder + "/nowhere.usda");
    CHECK_EQ(none.CreateIdentifier("../x.usda", folder + "/sub/anchor.usda"), folder + "/x.usda");
    CHECK_EQ(none.CreateIdentifier("/a/./b.usda", folder + "/anchor.usda"), "/a/b.usda");
    CHECK_EQ(none.CreateIdentifier("", folder + "/anchor.usda"), "");

    for (const std::string& path : {file, folder + "/sub/deep.usda", other + "/" + name,
                                    other + "/only-other.usda"}) {
        CHECK(unlink(path.c_str()) == 0);
    }
    CHECK(rmdir((folder + "/sub").c_str()) == 0);
    CHECK(rmdir(other.c_str()) == 0);
    CHECK(rmdir(folder.c_str()) == 0);
}

}  // namespace

void FileSystem() {
    PathRules();
    Resolution();
}

}  // namespace units
