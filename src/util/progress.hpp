#pragma once
/// Progress of a long read, for a front end to show (tarsier's progress line): bytes read
/// of the bytes expected, and what is being read. The library only counts; it never
/// prints. Every member is safe to call from any thread.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace tarsier::util {

/// Counters that readers advance and an observer samples.
class Progress {
public:
    /// Adds `bytes` to the total expected (0 stays "unknown", as for a stream).
    void expect(std::uint64_t bytes) { m_total.fetch_add(bytes, std::memory_order_relaxed); }
    /// Counts `bytes` read: one relaxed atomic add, cheap enough for every buffer.
    void advance(std::uint64_t bytes) { m_done.fetch_add(bytes, std::memory_order_relaxed); }
    /// Names what is being read now (an archive entry); the latest call wins.
    void begin(std::string_view item) {
        std::lock_guard lock(m_mutex);
        m_item.assign(item);
    }

    /// What an observer sees.
    struct Snapshot {
        std::uint64_t done = 0;
        std::uint64_t total = 0;  ///< 0: unknown
        std::string item;
    };
    [[nodiscard]] Snapshot snapshot() const {
        Snapshot s;
        s.done = m_done.load(std::memory_order_relaxed);
        s.total = m_total.load(std::memory_order_relaxed);
        std::lock_guard lock(m_mutex);
        s.item = m_item;
        return s;
    }

private:
    std::atomic<std::uint64_t> m_done{0};
    std::atomic<std::uint64_t> m_total{0};
    mutable std::mutex m_mutex;
    std::string m_item;
};

}  // namespace tarsier::util
