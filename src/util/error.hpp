#pragma once
/// Errors carried by every tarsier library function: a kind that decides the exit status,
/// the file the error is about, the place inside it and what went wrong.

#include <string>
#include <utility>

namespace tarsier::util {

/// What kind of failure; the CLI maps each kind to a documented exit status.
enum class ErrorKind {
    usage,        ///< the request itself is wrong (bad image selector, bad option value)
    not_found,    ///< the input file or directory does not exist
    unreadable,   ///< an I/O error while reading the input
    not_image,    ///< readable, but not an image archive tarsier knows
    malformed,    ///< an image archive whose structure or JSON is invalid
    truncated,    ///< the input ends before a structure it declares
    limit,        ///< a configured limit (size, ratio, depth) was exceeded
    interrupted,  ///< the user interrupted the work
};

/// One error: `file: where: what`. `where` names an entry, a layer or a JSON pointer.
struct Error {
    ErrorKind kind = ErrorKind::malformed;
    std::string file;
    std::string where;
    std::string what;

    /// The one-line form used on stderr: "file: where: what" with empty parts left out.
    [[nodiscard]] std::string to_string() const;
    /// Returns a copy with `file` set when it was empty.
    [[nodiscard]] Error in_file(const std::string& f) const;
    /// Returns a copy with `prefix` put in front of `where` ("prefix: where").
    [[nodiscard]] Error at(const std::string& prefix) const;
};

/// Builds an Error; a shorthand used across the library.
inline Error make_error(ErrorKind kind, std::string where, std::string what) {
    return Error{kind, {}, std::move(where), std::move(what)};
}

}  // namespace tarsier::util
