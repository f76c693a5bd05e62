#pragma once
/// The merged filesystem after a layer, written out (`export`, `extract`, `cat`). A plan
/// says which entry of which layer gives each path of the merged tree its metadata and
/// bytes; one pass over those layers, base first, hands each path to a writer as its
/// source entry goes by (or several layers at once, each to its own writer, where the
/// order of the layers does not matter). Content is not in the file index, so the layers
/// are read again: each layer once, only up to its last entry that is still needed, and
/// not at all when nothing of it survives. Memory is the index and the plan, never file
/// sizes.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "archive/tar_reader.hpp"
#include "fs/tree.hpp"
#include "io/reader.hpp"
#include "query/changes.hpp"

namespace tarsier::query {

/// One path of the merged tree as a writer receives it.
struct MergedEntry {
    /// path: inside the image, no leading '/'. A regular file's first path carries the
    /// bytes (type '0'); the other paths of its hardlink group are type '1' with `link` the
    /// first path. Mode, owner and mtime are the source entry's.
    archive::TarHeader header;
    std::vector<std::pair<std::string, std::string>> xattrs;  ///< name, value
};

/// Regular files whose bytes were kept while the layers were indexed (extract's staging,
/// query/staging.hpp), so that their layers need not be read again.
class StagedFiles {
public:
    virtual ~StagedFiles() = default;
    /// Whether the bytes of entry `ordinal` (a regular file) of the layer blob `blob` (its
    /// container entry's name) were kept.
    [[nodiscard]] virtual bool has(const std::string& blob, std::uint32_t ordinal) const = 0;
};

/// Receives the paths of the merged tree.
class MergedWriter {
public:
    virtual ~MergedWriter() = default;
    /// One path; for header.type '0', `data` holds header.size bytes (it may be left unread).
    virtual util::Result<void> write(const MergedEntry& entry, io::Reader* data) = 0;
    /// A regular file (header.type '0') whose bytes StagedFiles kept as entry `ordinal` of
    /// the layer blob `blob`. Only a writer given to write_merged_layers with StagedFiles
    /// is asked this; the others fail (usage).
    virtual util::Result<void> write_staged(const MergedEntry& entry, const std::string& blob, std::uint32_t ordinal);
};

/// What a writer receives for `path`, the name that carries the bytes of a regular file whose
/// tar header is `h` (its metadata is the header's).
MergedEntry file_entry(const archive::TarHeader& h, const std::vector<std::pair<std::string, std::string>>& xattrs,
                       std::string_view path);
/// What a writer receives for `path`, fed by an entry other than a regular file (header
/// `h`), whose own index entry is `name` (its metadata; a hardlink to such an entry takes
/// its type).
MergedEntry other_entry(const archive::TarHeader& h, const std::vector<std::pair<std::string, std::string>>& xattrs,
                        const archive::IndexEntry& name, std::string_view path);

/// The entry of a layer that gives a path its metadata and bytes.
struct MergedSource {
    std::uint32_t layer = 0;
    std::uint32_t ordinal = 0;  ///< among the layer index's entries
};

/// What to write of an image.
struct MergedOptions {
    std::string layer;                  ///< --layer: the tree after this layer ("" for the top)
    std::vector<std::string> patterns;  ///< only these paths and what is below them (empty: all)
    ReadOptions read;
};

struct MergedPlan {
    Chosen read;            ///< layers, their ids and indexes
    fs::MergedTree tree;    ///< after layer `top`
    std::size_t top = 0;
    bool empty = true;      ///< the image has no layers
    /// Per layer, by ordinal: the paths that entry gives (sorted by path).
    std::vector<std::unordered_map<std::uint32_t, std::vector<const fs::Node*>>> feeds;
    std::vector<std::string> unmatched;    ///< patterns that matched nothing
    std::vector<image::Finding> findings;  ///< names that left the root, hardlinks with no target, ...
};

/// How plan_merged reads the layers (file indexes of kFilesNeeds, with no content digests).
ReadOptions plan_read_options(ReadOptions read);

/// Reads the image's layers with file indexes, builds the tree after --layer and plans
/// where each path (matching the patterns) comes from.
util::Result<MergedPlan> plan_merged(const image::Archive& archive, const image::Image& img,
                                     const MergedOptions& options);

/// The plan's source of a node: its own entry, or for a hardlink the regular file its
/// target held when the link was made. nullopt when the target was missing.
std::optional<MergedSource> source_of(const MergedPlan& plan, const fs::Node& node);

/// The order in which write_merged gives the layers.
enum class LayerOrder {
    base_first,  ///< the base layer first (a tree written into a directory)
    top_first,   ///< the top layer first (`export`: a layer's paths are known once the layers above it are)
};

/// Reads the layers of the plan once, in `order`, and gives every planned path to `writer`
/// in that order: layer by layer, in each layer's tar order, a hardlink group together.
/// Fails on a layer that cannot be read again or that reads differently from its index,
/// and on the first failure of `writer`.
util::Result<void> write_merged(const image::Archive& archive, const image::Image& img, const MergedPlan& plan,
                                MergedWriter& writer, LayerOrder order = LayerOrder::base_first);

/// Gives `writer` the paths that layer `layer` of the plan feeds, as write_merged does,
/// from the layer's index alone and with no data (each regular file's reader is empty):
/// for a writer that measures what the layer's part of an output takes. Fails (usage)
/// when the index cannot tell a header as the layer's tar has it (a fed entry with
/// extended attributes, whose values only the tar holds, or a hardlink).
util::Result<void> write_layer_headers(const MergedPlan& plan, std::size_t layer, MergedWriter& writer);

/// The writer of one layer's paths (write_merged_layers); called once per layer that
/// feeds a path, on the thread that reads that layer.
using LayerWriterFor = std::function<MergedWriter&(std::size_t layer)>;

/// As write_merged, but `jobs` layers are read at once (the longest first), each
/// layer's paths given in write_merged's order to its own writer. For a writer whose
/// result does not depend on the order of the layers (files written into a directory).
/// Fails with the failure of the lowest layer that failed; the layers being read then
/// stop at their next path, and none is started. With `staged`, a layer whose fed regular
/// files were all kept is not read again: its paths come from its index, each file's to
/// MergedWriter::write_staged. The layers `skip` marks are not written (written already).
util::Result<void> write_merged_layers(const image::Archive& archive, const image::Image& img, const MergedPlan& plan,
                                       const LayerWriterFor& writer_for, unsigned jobs,
                                       const StagedFiles* staged = nullptr, const std::vector<bool>* skip = nullptr);

}  // namespace tarsier::query
