// The engine's one exception type: every expected failure is an invseg::Error naming the file, key or limit.
#pragma once

#include <stdexcept>
#include <string>

namespace invseg {

/// What went wrong, coarse enough for a caller to choose an exit code or a dialog.
enum class ErrorKind {
    Io,           ///< a file could not be opened, read or written
    Format,       ///< a file is not what it claims to be (corrupt, truncated, wrong layout)
    Key,          ///< a checkpoint lacks a key or has keys nobody expected
    Shape,        ///< a tensor has the wrong shape or dtype
    InvalidInput, ///< a bad argument: empty class list, too many classes, unknown device, ...
    Unsupported,  ///< valid input that this build cannot handle (a dtype, a layout, CUDA without CUDA)
    OutOfMemory,  ///< an allocation failed
    Cancelled,    ///< the caller asked the run to stop; not a failure
    Internal,     ///< a bug: an invariant of the engine did not hold
};

/// Thrown by the engine for every failure that depends on input. The message is one line, fit to show a user.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
    ErrorKind kind() const noexcept { return m_kind; }

private:
    ErrorKind m_kind;
};

/// A short lower-case name of the kind ("format", "key", ...), for logs and JSON reports.
const char* errorKindName(ErrorKind kind) noexcept;

} // namespace invseg
