#pragma once
// A fixed-seed xorshift64 generator for tests that try many generated inputs: the same
// sequence on every run, so a failure names a round that can be replayed.

#include <cstdint>

namespace tarsier::test {

class XorShift {
public:
    explicit XorShift(std::uint64_t seed) : m_state(seed ? seed : 1) {}
    /// The next number in [0, bound).
    std::uint64_t next(std::uint64_t bound) {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 7;
        m_state ^= m_state << 17;
        return m_state % bound;
    }

private:
    std::uint64_t m_state;
};

}  // namespace tarsier::test
