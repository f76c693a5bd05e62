#pragma once
/// `tarsier changes` and `tarsier files` output.

#include <string>
#include <vector>

#include "fs/tree.hpp"
#include "report/json_writer.hpp"
#include "report/sink.hpp"
#include "query/changes.hpp"

namespace tarsier::report {

/// Counts and bytes of one layer's changes, by kind (added, changed, deleted; indexed by
/// fs::ChangeKind).
struct Tally {
    std::size_t counts[3] = {0, 0, 0};
    std::uint64_t bytes[3] = {0, 0, 0};
};
/// The tally of `changes`; a file or link that replaced a directory counts the bytes of
/// that directory's subtree as deleted.
Tally tally(const fs::LayerChanges& changes);

/// Writes a layer's "position", "digest", "diffId" and "createdBy" keys (changes and blame JSON).
void put_layer_header(JsonWriter& w, const query::LayerChangeSet& layer);
/// The same keys from a layer's identity (packages JSON).
void put_layer_id(JsonWriter& w, const image::LayerId& id);

/// `docker diff` lines per layer ("A /path"), with a header naming the layer and a
/// summary; `long_form` adds type, mode, owner and size (old -> new).
void render_changes_text(const std::vector<query::LayerChangeSet>& layers, bool long_form, const Sink& out);
/// JSON, schemaVersion 1 (documented in man/tarsier-changes.1).
void render_changes_json(const std::vector<query::LayerChangeSet>& layers, const Sink& out);

/// Each node's owning packages (`--owner`), parallel to the nodes or changes shown.
using NodeOwners = std::vector<std::vector<query::Owner>>;

/// One line per path like `tar -tv`, with the layer that last set it (columns aligned as
/// docker's tables align them); with `owners`, a PACKAGE column (query::owner_names).
void render_files_text(const std::vector<const fs::Node*>& nodes, const Sink& out, const NodeOwners* owners = nullptr);
/// JSON, schemaVersion 1 (documented in man/tarsier-files.1); with `owners`, an "owners"
/// array in each file.
void render_files_json(const std::vector<const fs::Node*>& nodes, const Sink& out, const NodeOwners* owners = nullptr);
/// Writes "owners": [{"type", "name", "version", "arch"}, ...].
void put_owners(JsonWriter& w, const std::vector<query::Owner>& owners);

/// "drwxr-xr-x" from a tar type and mode.
std::string mode_string(char type, std::uint32_t mode);
/// "file", "dir", "symlink", "hardlink", "char", "block", "fifo" or "other".
std::string type_name(char type);
/// Writes `key`: an index entry as JSON ({"type","mode","uid","gid","size","mtime","link",
/// "content","device"}), or null.
void put_entry(JsonWriter& w, const char* key, const archive::IndexEntry* e);

}  // namespace tarsier::report
