#include "core/log/WarningCode.h"

namespace arhttp {

const char* WarningCodeName(WarningCode code) {
    // In the order of WarningCode; lib/errors.ts WarningCodes holds the same names.
    static const char* const names[] = {
        "AR_HTTP_CONFIG",
        "AR_HTTP_SERVER_FAILED",
        "AR_HTTP_SERVER_RECOVERED",
        "AR_HTTP_ANSWER_REFUSED",
        "AR_HTTP_ASSET_PATH_REFUSED",
        "AR_HTTP_UNKNOWN_SNAPSHOT",
        "AR_HTTP_PIN_FILE",
        "AR_HTTP_CHANGE_FEED",
        "AR_HTTP_RESOLVE_FAILED",
        "AR_HTTP_CONTENT_FAILED",
    };
    return names[static_cast<int>(code)];
}

}  // namespace arhttp
