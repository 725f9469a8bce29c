#include "core/client/Unresolved.h"

namespace arhttp {

const char* UnresolvedName(Unresolved why) {
    static const char* const names[] = {"not-found",   "timeout",   "refused",
                                        "unreachable", "fail-fast", "bad-answer"};
    return names[static_cast<int>(why)];
}

}  // namespace arhttp
