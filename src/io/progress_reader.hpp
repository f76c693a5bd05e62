#pragma once
/// A reader that counts the bytes it passes on into a util::Progress.

#include "io/reader.hpp"
#include "util/progress.hpp"

namespace tarsier::io {

/// Passes `source`'s bytes through, advancing `progress` (which may be null) by each read.
class ProgressReader final : public Reader {
public:
    ProgressReader(Reader& source, util::Progress* progress) : m_source(source), m_progress(progress) {}
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        auto n = m_source.read(buf);
        if (n && *n > 0) {
            m_count += *n;
            if (m_progress) m_progress->advance(*n);
        }
        return n;
    }
    /// Bytes passed on so far.
    [[nodiscard]] std::uint64_t count() const { return m_count; }

private:
    Reader& m_source;
    util::Progress* m_progress;
    std::uint64_t m_count = 0;
};

}  // namespace tarsier::io
