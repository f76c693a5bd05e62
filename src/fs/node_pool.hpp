#pragma once
/// An allocator for the merged tree's set: its nodes (48 bytes) come from 64 KiB blocks,
/// back to back, instead of one malloc each (64 bytes with malloc's header and rounding).
/// Freed nodes are reused; the blocks go when the last copy of the allocator does.

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace tarsier::fs {

/// Fixed-size chunks carved from blocks, with a free list.
class ChunkPool {
public:
    explicit ChunkPool(std::size_t chunk) : m_chunk(std::max(chunk, sizeof(void*))) {}
    ChunkPool(const ChunkPool&) = delete;
    ChunkPool& operator=(const ChunkPool&) = delete;

    [[nodiscard]] std::size_t chunk() const { return m_chunk; }

    void* get() {
        if (m_free) {
            void* p = m_free;
            m_free = *static_cast<void**>(p);
            return p;
        }
        if (m_left < m_chunk) {
            m_blocks.push_back(std::make_unique<std::byte[]>(kBlock));
            m_next = m_blocks.back().get();
            m_left = kBlock;
        }
        void* p = m_next;
        m_next += m_chunk;
        m_left -= m_chunk;
        return p;
    }

    void put(void* p) {
        *static_cast<void**>(p) = m_free;
        m_free = p;
    }

private:
    static constexpr std::size_t kBlock = 64 * 1024;
    std::size_t m_chunk;
    std::vector<std::unique_ptr<std::byte[]>> m_blocks;
    std::byte* m_next = nullptr;
    std::size_t m_left = 0;
    void* m_free = nullptr;
};

/// A standard allocator over a shared ChunkPool for single objects of one size (a node
/// container's nodes); anything else goes to operator new.
template <typename T>
class PoolAllocator {
public:
    using value_type = T;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;

    PoolAllocator() = default;
    template <typename U>
    PoolAllocator(const PoolAllocator<U>& other) noexcept : m_pool(other.pool()) {}  // NOLINT: rebinding

    T* allocate(std::size_t n) {
        if (n == 1 && alignof(T) <= alignof(std::max_align_t)) {
            if (!m_pool) m_pool = std::make_shared<ChunkPool>(round_up(sizeof(T)));
            if (m_pool->chunk() == round_up(sizeof(T))) return static_cast<T*>(m_pool->get());
        }
        return static_cast<T*>(::operator new(n * sizeof(T)));
    }

    void deallocate(T* p, std::size_t n) noexcept {
        if (n == 1 && m_pool && m_pool->chunk() == round_up(sizeof(T))) m_pool->put(p);
        else ::operator delete(p);
    }

    [[nodiscard]] const std::shared_ptr<ChunkPool>& pool() const { return m_pool; }

    template <typename U>
    bool operator==(const PoolAllocator<U>& other) const noexcept {
        return m_pool == other.pool();
    }

private:
    static constexpr std::size_t round_up(std::size_t n) {
        constexpr std::size_t a = alignof(std::max_align_t);
        return (n + a - 1) / a * a;
    }
    std::shared_ptr<ChunkPool> m_pool;
};

}  // namespace tarsier::fs
