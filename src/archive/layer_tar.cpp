#include "archive/layer_tar.hpp"

#include <array>

#include "io/chunk_pipe.hpp"
#include "io/decompress.hpp"
#include "util/path.hpp"

namespace tarsier::archive {

using util::fail;

util::Result<std::unique_ptr<LayerBytes>> LayerBytes::open(const Container& container, const Entry& blob) {
    std::array<std::uint8_t, 8> head{};
    std::size_t got = 0;
    {
        auto probe = container.open(blob);
        if (!probe) return probe.failure();
        while (got < head.size()) {
            auto n = (*probe)->read(std::span(head.data() + got, head.size() - got));
            if (!n) return n.failure();
            if (*n == 0) break;
            got += *n;
        }
    }
    auto c = io::sniff(std::span(head.data(), got));
    auto raw = container.open(blob);
    if (!raw) return raw.failure();
    std::unique_ptr<LayerBytes> out(new LayerBytes());
    out->m_raw = std::move(*raw);
    out->m_decoded = io::make_decoder(c, *out->m_raw);
    out->m_out = out->m_decoded.get();
    // Decoding is most of the cost of reading a compressed layer again: done beside the
    // caller's parsing and writing, on the second core.
    if (c != io::Compression::none) {
        out->m_ahead = std::make_unique<io::ReadAhead>(*out->m_decoded);
        out->m_out = out->m_ahead.get();
    }
    return out;
}

util::Result<std::unique_ptr<LayerTar>> LayerTar::open(const Container& container, const Entry& blob) {
    auto bytes = LayerBytes::open(container, blob);
    if (!bytes) return bytes.failure();
    std::unique_ptr<LayerTar> out(new LayerTar());
    out->m_bytes = std::move(*bytes);
    auto tar = TarReader::open(*out->m_bytes, false);
    if (!tar) return fail(tar.error().at(blob.raw_name));
    out->m_tar = std::move(*tar);
    return out;
}

util::Result<bool> LayerTar::next_entry(TarHeader& header, std::string& name) {
    for (;;) {
        auto more = m_tar->next(header);
        if (!more || !*more) return more;
        auto clean = util::clean_path_in_root(header.path);
        if (!clean || clean->empty()) continue;  // no entry of the index
        name = std::move(*clean);
        return true;
    }
}

}  // namespace tarsier::archive
