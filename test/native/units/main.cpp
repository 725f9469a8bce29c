// Runs every area's unit checks. argv[1]: protocol.json's resolved-path
// examples, one a line, "valid <hex>" or "invalid <hex>" (the hex of the
// example's UTF-8 bytes, since examples hold NUL, line breaks and ESC).
// argv[2], when usdcat was there to write them: a folder of crate files,
// name.usdc, each with name.expected listing its asset paths one a line.
#include "check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace {

int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool ReadExamples(const char* file, std::vector<units::Example>* examples) {
    std::ifstream in(file);
    if (!in) return false;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const size_t space = line.find(' ');
        const std::string kind = line.substr(0, space);
        const std::string hex = space == std::string::npos ? "" : line.substr(space + 1);
        if ((kind != "valid" && kind != "invalid") || hex.size() % 2 != 0) return false;
        std::string path;
        for (size_t i = 0; i < hex.size(); i += 2) {
            const int high = HexDigit(hex[i]);
            const int low = HexDigit(hex[i + 1]);
            if (high < 0 || low < 0) return false;
            path += static_cast<char>(high * 16 + low);
        }
        examples->push_back({kind == "valid", path});
    }
    return true;
}

bool ReadCrateFiles(const char* folder, std::vector<units::CrateFile>* files) {
    namespace fs = std::filesystem;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
        const fs::path crate = entry.path();
        if (crate.extension() != ".usdc") continue;
        std::ifstream bytes(crate, std::ios::binary);
        fs::path expectedFile = crate;
        std::ifstream expected(expectedFile.replace_extension(".expected"));
        if (!bytes || !expected) return false;
        units::CrateFile file{crate.filename().string(),
                              std::string(std::istreambuf_iterator<char>(bytes), std::istreambuf_iterator<char>()),
                              {}};
        for (std::string line; std::getline(expected, line);) {
            if (!line.empty()) file.expected.push_back(line);
        }
        files->push_back(std::move(file));
    }
    std::sort(files->begin(), files->end(),
              [](const units::CrateFile& a, const units::CrateFile& b) { return a.name < b.name; });
    return !error && !files->empty();
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<units::Example> examples;
    std::vector<units::CrateFile> crateFiles;
    if (argc < 2 || argc > 3 || !ReadExamples(argv[1], &examples) ||
        (argc == 3 && !ReadCrateFiles(argv[2], &crateFiles))) {
        std::fprintf(stderr,
                     "usage: units <file of resolved-path examples: valid|invalid <hex> lines>"
                     " [<folder of name.usdc and name.expected files>]\n");
        return 2;
    }
    size_t valid = 0;
    for (const auto& example : examples) valid += example.valid;
    // Without examples of both kinds the body checks would pass on nothing.
    CHECK(valid > 0);
    CHECK(examples.size() - valid > 0);

    units::Parsers(examples);
    units::FileSystem();
    units::Cache();
    units::Scanner();
    units::Crates(crateFiles);
    units::Zip(crateFiles);
    units::Engine();
    units::Feed();
    units::Pins();
    units::Content();
    if (argc == 3) {
        std::printf("units: scanned %zu crate files from usdcat\n", crateFiles.size());
    } else {
        std::printf("units: SKIPPED the checks on crate files from usdcat: no folder of them given\n");
    }

    if (units::failures) {
        std::printf("units: %d of %d checks FAILED\n", units::failures, units::checks);
        return 1;
    }
    std::printf("units: %d checks, all right\n", units::checks);
    return 0;
}
