#pragma once
/// Result<T>: a value or an Error, the expected-like return type of the library.
/// (std::expected is C++23 and not usable by every compiler the project builds with.)

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "util/error.hpp"

namespace tarsier::util {

/// Wraps an Error so that it converts into any Result<T>.
struct Failure {
    Error error;
};

/// Makes a Failure from an Error: `return fail(make_error(...));`
inline Failure fail(Error e) { return Failure{std::move(e)}; }
/// Makes a Failure from its parts.
inline Failure fail(ErrorKind kind, std::string where, std::string what) {
    return Failure{make_error(kind, std::move(where), std::move(what))};
}

/// A value of type T or an Error.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Failure f) : m_v(std::in_place_index<1>, std::move(f.error)) {}
    template <typename U, typename = std::enable_if_t<std::is_convertible_v<U, T> && !std::is_same_v<std::decay_t<U>, T>>>
    Result(U&& value) : m_v(std::in_place_index<0>, T(std::forward<U>(value))) {}

    [[nodiscard]] bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { assert(ok()); return std::get<0>(m_v); }
    const T& value() const& { assert(ok()); return std::get<0>(m_v); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_v)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    [[nodiscard]] const Error& error() const { assert(!ok()); return std::get<1>(m_v); }
    /// The error as a Failure, to pass it up: `if (!r) return r.failure();`
    [[nodiscard]] Failure failure() const { return Failure{error()}; }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation that returns nothing.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Failure f) : m_error(std::move(f.error)) {}
    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const { assert(!ok()); return *m_error; }
    [[nodiscard]] Failure failure() const { return Failure{error()}; }

private:
    std::optional<Error> m_error;
};

}  // namespace tarsier::util
