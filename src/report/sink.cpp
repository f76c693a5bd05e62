#include "report/sink.hpp"

namespace tarsier::report {

void TextChunks::flush() {
    if (m_text.empty()) return;
    m_sink(m_text);
    m_text.clear();
}

void JsonChunks::flush() {
    if (m_buffer.GetSize() == 0) return;
    m_sink(go_escape(std::string_view(m_buffer.GetString(), m_buffer.GetSize())));
    m_buffer.Clear();
}

}  // namespace tarsier::report
