#pragma once
/// Reading a layer blob again, after the scan that indexed it: its decoded bytes, or its
/// tar entries with their data and extended attribute values. Only for containers that
/// can be read twice (files and directories; a stream was read once).

#include <memory>
#include <string>

#include "archive/container.hpp"
#include "archive/tar_reader.hpp"
#include "io/reader.hpp"
#include "util/result.hpp"

namespace tarsier::archive {

/// A layer blob's decoded (uncompressed) bytes: the layer tar exactly as stored.
class LayerBytes final : public io::Reader {
public:
    /// Opens `blob` of `container`, sniffing its compression (gzip, zstd or none). Fails
    /// (usage) on a container that cannot be read twice, (malformed) on bzip2 or xz.
    static util::Result<std::unique_ptr<LayerBytes>> open(const Container& container, const Entry& blob);
    util::Result<std::size_t> read(std::span<std::uint8_t> buf) override { return m_out->read(buf); }

private:
    std::unique_ptr<io::Reader> m_raw;
    std::unique_ptr<io::Reader> m_decoded;  // reads m_raw
    std::unique_ptr<io::Reader> m_ahead;    // a compressed blob: decodes m_decoded on a thread of its own
    io::Reader* m_out = nullptr;            // m_ahead, or m_decoded
};

/// A layer blob's tar entries, read again in order.
class LayerTar {
public:
    static util::Result<std::unique_ptr<LayerTar>> open(const Container& container, const Entry& blob);
    /// Advances to the next header that the layer's index holds as an entry (as
    /// LayerIndexBuilder: not a name that leaves the root, nor the root itself), with its
    /// name as the index has it in `name`; false at the end. The n-th call gives the
    /// index's n-th entry, when the layer reads the same as when it was indexed.
    util::Result<bool> next_entry(TarHeader& header, std::string& name);
    /// The current entry's data, and its extended attributes with their values.
    [[nodiscard]] TarReader& tar() { return *m_tar; }

private:
    std::unique_ptr<LayerBytes> m_bytes;
    std::unique_ptr<TarReader> m_tar;  // reads m_bytes
};

}  // namespace tarsier::archive
