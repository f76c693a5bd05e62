#pragma once
/// Handing bytes from one thread to another through a few fixed buffers: the scanner's
/// stages (read and hash, decode, walk) and ReadAhead, which decodes a layer on a thread of
/// its own while the caller parses and writes it. Memory is the buffers, never the stream.

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "io/reader.hpp"

namespace tarsier::io {

/// One buffer of a ChunkPipe: its bytes are not zeroed (the producer fills what it hands
/// over).
struct Chunk {
    std::unique_ptr<std::uint8_t[]> bytes;
    std::size_t capacity = 0;
    [[nodiscard]] std::span<std::uint8_t> span() const { return {bytes.get(), capacity}; }
};

/// A bounded hand-over of byte chunks from one producer thread to one consumer thread.
/// Up to `buffers` chunks of `size` bytes, each made when first needed: a short stream
/// costs one buffer, not all of them.
class ChunkPipe {
public:
    ChunkPipe(std::size_t buffers, std::size_t size) : m_max(std::max<std::size_t>(buffers, 1)), m_size(size) {
        m_store.reserve(m_max);
    }
    /// A free buffer to fill; nullptr once the consumer has stopped.
    Chunk* acquire() {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return !m_free.empty() || m_store.size() < m_max || m_abandoned; });
        if (m_abandoned) return nullptr;
        if (m_free.empty()) {
            m_store.push_back(std::make_unique<Chunk>(
                Chunk{std::make_unique_for_overwrite<std::uint8_t[]>(m_size), m_size}));
            return m_store.back().get();
        }
        auto* b = m_free.back();
        m_free.pop_back();
        return b;
    }
    void push(Chunk* b, std::size_t len) {
        std::lock_guard lock(m_mutex);
        m_full.push_back({b, len});
        m_cv.notify_all();
    }
    void release_unused(Chunk* b) { release(b); }
    void close() {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_cv.notify_all();
    }
    /// Ends the stream with an error that the consumer reads after the last chunk.
    void close_with(util::Error e) {
        std::lock_guard lock(m_mutex);
        m_error = std::move(e);
        m_closed = true;
        m_cv.notify_all();
    }
    /// The error the producer ended with, once pop() has returned the end.
    std::optional<util::Error> error() {
        std::lock_guard lock(m_mutex);
        return m_error;
    }
    /// The next filled chunk, or {nullptr, 0} at the end.
    std::pair<Chunk*, std::size_t> pop() {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return !m_full.empty() || m_closed; });
        if (m_full.empty()) return {nullptr, 0};
        auto chunk = m_full.front();
        m_full.pop_front();
        return chunk;
    }
    void release(Chunk* b) {
        std::lock_guard lock(m_mutex);
        m_free.push_back(b);
        m_cv.notify_all();
    }
    /// The consumer is done: the producer stops handing over chunks.
    void abandon() {
        std::lock_guard lock(m_mutex);
        m_abandoned = true;
        m_cv.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    const std::size_t m_max, m_size;
    std::vector<std::unique_ptr<Chunk>> m_store;
    std::vector<Chunk*> m_free;
    std::deque<std::pair<Chunk*, std::size_t>> m_full;
    bool m_closed = false, m_abandoned = false;
    std::optional<util::Error> m_error;
};

/// Reads the consumer side of a ChunkPipe.
class PipeReader final : public io::Reader {
public:
    explicit PipeReader(ChunkPipe& pipe) : m_pipe(pipe) {}
    ~PipeReader() override {
        if (m_chunk) m_pipe.release(m_chunk);
    }
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
        if (m_chunk && m_pos == m_len) {
            m_pipe.release(m_chunk);
            m_chunk = nullptr;
        }
        if (!m_chunk) {
            auto [chunk, len] = m_pipe.pop();
            if (!chunk) {
                if (auto e = m_pipe.error()) return util::Failure{*e};
                return std::size_t{0};
            }
            m_chunk = chunk;
            m_len = len;
            m_pos = 0;
        }
        std::size_t n = std::min(buf.size(), m_len - m_pos);
        std::copy_n(m_chunk->bytes.get() + m_pos, n, buf.data());
        m_pos += n;
        m_count += n;
        return n;
    }
    [[nodiscard]] std::uint64_t count() const { return m_count; }

private:
    ChunkPipe& m_pipe;
    Chunk* m_chunk = nullptr;
    std::size_t m_len = 0, m_pos = 0;
    std::uint64_t m_count = 0;
};

/// Reads `source` into `pipe` until its end, the consumer's stop, or an error (returned).
inline util::Result<void> pump(io::Reader& source, ChunkPipe& pipe) {
    for (;;) {
        auto* buf = pipe.acquire();
        if (!buf) return {};  // the consumer stopped
        auto n = source.read(buf->span());
        if (!n || *n == 0) {
            pipe.release_unused(buf);
            if (!n) return n.failure();
            return {};
        }
        pipe.push(buf, *n);
    }
}

/// Reads `src` on a thread of its own, up to a few MiB ahead of the caller: a decoder's
/// work done beside the caller's (export parses and writes a layer while the next bytes are
/// decoded). `src` must outlive the reader; an error of `src` is read after the bytes
/// before it.
class ReadAhead final : public Reader {
public:
    /// `buffers` of 1 MiB each.
    explicit ReadAhead(Reader& src, std::size_t buffers = 4);
    ~ReadAhead() override;
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override { return m_reader.read(buf); }

private:
    ChunkPipe m_pipe;
    PipeReader m_reader;
    std::thread m_thread;
};

}  // namespace tarsier::io
