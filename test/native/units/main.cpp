// Runs every area's unit checks. argv[1]: protocol.json's resolved-path
// examples, one a line, "valid <hex>" or "invalid <hex>" (the hex of the
// example's UTF-8 bytes, since examples hold NUL, line breaks and ESC).
#include "check.h"

#include <fstream>

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

}  // namespace

int main(int argc, char** argv) {
    std::vector<units::Example> examples;
    if (argc != 2 || !ReadExamples(argv[1], &examples)) {
        std::fprintf(stderr, "usage: units <file of resolved-path examples: valid|invalid <hex> lines>\n");
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

    if (units::failures) {
        std::printf("units: %d of %d checks FAILED\n", units::failures, units::checks);
        return 1;
    }
    std::printf("units: %d checks, all right\n", units::checks);
    return 0;
}
