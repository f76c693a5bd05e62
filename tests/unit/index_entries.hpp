#pragma once
// Hand-written layer index entries for the fs tests, the same shape the layer scanner
// produces: normalised paths, tar type flags, "xxh128:"-prefixed content digests.

#include <cstdint>
#include <string>
#include <utility>

#include "archive/layer_index.hpp"

namespace tarsier::test {

inline archive::IndexEntry file(std::string path, std::string content, std::uint64_t size = 4,
                                std::uint32_t mode = 0644) {
    archive::IndexEntry e;
    e.path = std::move(path);
    e.type = '0';
    e.mode = mode;
    e.size = size;
    e.mtime = 1700000000;
    e.content = "xxh128:" + std::move(content);
    return e;
}

inline archive::IndexEntry dir(std::string path, std::uint32_t mode = 0755) {
    archive::IndexEntry e;
    e.path = std::move(path);
    e.type = '5';
    e.mode = mode;
    e.mtime = 1700000000;
    return e;
}

/// A link entry: '2' symlink (target as stored) or '1' hardlink (size 0, no content of
/// its own, the target normalised).
inline archive::IndexEntry link_entry(char type, std::string path, std::string target) {
    archive::IndexEntry e;
    e.path = std::move(path);
    e.type = type;
    e.mode = type == '2' ? 0777 : 0644;
    e.mtime = 1700000000;
    e.link = std::move(target);
    return e;
}

inline archive::IndexEntry symlink_entry(std::string path, std::string target) {
    return link_entry('2', std::move(path), std::move(target));
}

inline archive::IndexEntry hardlink(std::string path, std::string target) {
    return link_entry('1', std::move(path), std::move(target));
}

}  // namespace tarsier::test
