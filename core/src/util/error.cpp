// Names of the error kinds.
#include "invseg/error.h"

namespace invseg {

const char* errorKindName(ErrorKind kind) noexcept
{
    switch (kind) {
    case ErrorKind::Io: return "io";
    case ErrorKind::Format: return "format";
    case ErrorKind::Key: return "key";
    case ErrorKind::Shape: return "shape";
    case ErrorKind::InvalidInput: return "invalid-input";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::OutOfMemory: return "out-of-memory";
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::Internal: return "internal";
    }
    return "unknown";
}

} // namespace invseg
