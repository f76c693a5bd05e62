#pragma once
// Hand-written layer index entries for the fs tests, the same shape the layer scanner
// produces: normalised paths, tar type flags, "xxh128:"-prefixed content digests. They are archive::EntryData values (own strings),
// made into an index with layer().

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "archive/layer_index.hpp"

namespace tarsier::test {

inline archive::EntryData file(std::string path, std::string content, std::uint64_t size = 4,
                                std::uint32_t mode = 0644) {
    archive::EntryData e;
    e.path = std::move(path);
    e.type = '0';
    e.mode = mode;
    e.size = size;
    e.mtime = 1700000000;
    e.content = "xxh128:" + std::move(content);
    return e;
}

inline archive::EntryData dir(std::string path, std::uint32_t mode = 0755) {
    archive::EntryData e;
    e.path = std::move(path);
    e.type = '5';
    e.mode = mode;
    e.mtime = 1700000000;
    return e;
}

/// A link entry: '2' symlink (target as stored) or '1' hardlink (size 0, no content of
/// its own, the target normalised).
inline archive::EntryData link_entry(char type, std::string path, std::string target) {
    archive::EntryData e;
    e.path = std::move(path);
    e.type = type;
    e.mode = type == '2' ? 0777 : 0644;
    e.mtime = 1700000000;
    e.link = std::move(target);
    return e;
}

inline archive::EntryData symlink_entry(std::string path, std::string target) {
    return link_entry('2', std::move(path), std::move(target));
}

inline archive::EntryData hardlink(std::string path, std::string target) {
    return link_entry('1', std::move(path), std::move(target));
}

/// A layer index holding `entries`, in order.
inline std::shared_ptr<const archive::LayerIndex> layer(const std::vector<archive::EntryData>& entries) {
    auto l = std::make_shared<archive::LayerIndex>();
    for (const auto& e : entries) l->add(e);
    return l;
}

}  // namespace tarsier::test
