#pragma once
/// Output in pieces: views that can be as long as a layer is large (a change or a file per
/// line) hand their text to a sink about 64 KiB at a time instead of building one string.

#include <functional>
#include <string>
#include <string_view>

#include "report/json_writer.hpp"

namespace tarsier::report {

/// Where a view's text goes (the command line writes it to standard output).
using Sink = std::function<void(std::string_view)>;

/// Text collected and handed on in pieces; the rest goes when it is destroyed.
class TextChunks {
public:
    explicit TextChunks(const Sink& sink) : m_sink(sink) {}
    ~TextChunks() { flush(); }
    TextChunks(const TextChunks&) = delete;
    TextChunks& operator=(const TextChunks&) = delete;

    /// The text so far; append to it, then call boundary().
    std::string& text() { return m_text; }
    /// Hands the text on when it is long enough.
    void boundary() {
        if (m_text.size() >= kChunk) flush();
    }
    void flush();

private:
    static constexpr std::size_t kChunk = 64 * 1024;
    const Sink& m_sink;
    std::string m_text;
};

/// JSON written through RapidJSON and handed on in pieces, escaped as go_escape does.
/// Call boundary() only between values (never inside a string); finish() ends the document
/// with a newline.
class JsonChunks {
public:
    explicit JsonChunks(const Sink& sink) : m_sink(sink), m_writer(m_buffer) {}
    JsonChunks(const JsonChunks&) = delete;
    JsonChunks& operator=(const JsonChunks&) = delete;

    JsonWriter& writer() { return m_writer; }
    void boundary() {
        if (m_buffer.GetSize() >= kChunk) flush();
    }
    void finish() {
        flush();
        m_sink("\n");
    }

private:
    void flush();
    static constexpr std::size_t kChunk = 64 * 1024;
    const Sink& m_sink;
    JsonBuffer m_buffer;
    JsonWriter m_writer;
};

/// A sink that appends to a string.
inline Sink string_sink(std::string& out) {
    return [&out](std::string_view s) { out += s; };
}

}  // namespace tarsier::report
