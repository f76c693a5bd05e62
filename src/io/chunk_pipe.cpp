#include "io/chunk_pipe.hpp"

namespace tarsier::io {

ReadAhead::ReadAhead(Reader& src, std::size_t buffers) : m_pipe(buffers, 1 << 20), m_reader(m_pipe) {
    m_thread = std::thread([this, &src] {
        if (auto pumped = pump(src, m_pipe); !pumped) m_pipe.close_with(pumped.error());
        m_pipe.close();
    });
}

ReadAhead::~ReadAhead() {
    m_pipe.abandon();  // the thread stops at its next buffer
    m_thread.join();
}

}  // namespace tarsier::io
