#pragma once
/// Comparing filesystems and images. Two images: their merged trees path by path, their
/// configurations field by field, their histories (created_by lists) and their layer
/// lists (diff_ids), which is what `tarsier diff` reports. One image: the layers that
/// touched one path, which is what `tarsier blame` reports. Pure functions over values
/// the caller owns: nothing here reads, prints or fails.
///
/// The image configuration comes from src/oci (oci::ImageConfig); only its data members
/// are used, so this file needs oci's headers but none of its code.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/layer_index.hpp"
#include "fs/tree.hpp"
#include "oci/config.hpp"

namespace tarsier::fs {

// ---------------------------------------------------------------------------------------
// Two trees

/// A property in which two entries at the same path can differ.
enum class Aspect { type, content, size, mode, owner, link, device, mtime, xattrs };

/// "type", "content", "size", "mode", "owner", "link", "device", "mtime" or "xattrs" (the names).
std::string_view aspect_name(Aspect a);

/// What a file comparison leaves out.
struct FileDiffOptions {
    bool ignore_timestamps = false;  ///< mtime
    bool ignore_owner = false;       ///< uid and gid
    bool ignore_mode = false;        ///< permission, setuid/setgid and sticky bits
};

/// A path whose entry differs between two trees.
struct FileDifference {
    ChangeKind kind = ChangeKind::changed;  ///< added: only in the new tree; deleted: only in the old
    std::string_view path;                        ///< a view into the trees' indexes
    const archive::IndexEntry* before = nullptr;  ///< changed, deleted
    const archive::IndexEntry* after = nullptr;   ///< added, changed
    std::vector<Aspect> aspects;                ///< changed only: what differs, in enum order
};

/// What differs between two entries, each aspect compared on its own: content by content
/// digest (so both trees must have been indexed with the same ContentDigest), link as the
/// stored symlink or hardlink target, device numbers for character and block devices only.
std::vector<Aspect> compare_entries(const archive::IndexEntry& before, const archive::IndexEntry& after,
                                    const FileDiffOptions& options);

/// Every path that is only in one tree or whose entries differ, sorted by path (the
/// entries point into the trees, which must outlive the result). A
/// directory only in one tree is reported with everything below it.
std::vector<FileDifference> diff_trees(const MergedTree& before, const MergedTree& after, const FileDiffOptions& options);

// ---------------------------------------------------------------------------------------
// Two configurations

/// How a configuration value is shaped, so that renderers need not know the fields.
enum class ValueShape {
    string,    ///< one string (User, WorkingDir, an Env variable's value, a label's value)
    list,      ///< a string array (Entrypoint, Cmd, Shell, OnBuild, Healthcheck.Test)
    member,    ///< membership of a set (ExposedPorts, Volumes, os.features): the value is the key itself
    boolean,   ///< "true" or "false" (ArgsEscaped, Tty, ...; absent is false)
    number,    ///< a decimal integer (StopTimeout, Healthcheck.Retries)
    duration,  ///< nanoseconds as a decimal integer (Healthcheck.Interval, ...)
};

/// One configuration value that differs. The kind follows from what is absent: no
/// `before` is an addition, no `after` a removal.
struct ConfigDifference {
    std::string field;  ///< the field's name, one of config_field_names() (not a group)
    std::string key;    ///< the variable, label, port, volume or feature; "" for single-valued fields
    ValueShape shape = ValueShape::string;
    std::optional<std::vector<std::string>> before;  ///< one element except for the list shape
    std::optional<std::vector<std::string>> after;

    /// added when there is no `before`, deleted when there is no `after`, else changed.
    [[nodiscard]] ChangeKind kind() const;
};

/// Every name a configuration difference can have, in comparison order: the fields of
/// `config` as the config spells them (Env, Entrypoint, Cmd, User, WorkingDir, Labels,
/// ExposedPorts, Volumes, StopSignal, ArgsEscaped, Healthcheck.Test, Healthcheck.Interval,
/// Healthcheck.Timeout, Healthcheck.StartPeriod, Healthcheck.StartInterval,
/// Healthcheck.Retries, Shell, OnBuild, StopTimeout, Hostname, Domainname, Image,
/// MacAddress, AttachStdin, AttachStdout, AttachStderr, Tty, OpenStdin, StdinOnce,
/// NetworkDisabled), then the top-level fields (os, architecture, variant, os.version,
/// os.features, created, author, comment, docker_version, container, parent), then
/// Docker's container_config with the same fields as `config`, each prefixed with
/// "container_config.".
const std::vector<std::string>& config_field_names();

/// Whether `name` is a name config_field_names() lists or one of the groups "config"
/// (every field of `config`), "Healthcheck", "container_config" and
/// "container_config.Healthcheck"; letter case does not matter, and a field of `config`
/// may be written with a "config." prefix ("Config.Healthcheck").
bool is_config_field(std::string_view name);

/// The differences between two configurations, in the order of config_field_names() and
/// by key within a field, leaving out the fields (or groups) named in `ignored` (as
/// is_config_field takes them). Env is compared per variable (the last definition of a
/// name wins, as Docker resolves duplicates), so reordering the list is no difference;
/// an entry without '=' is a name with an empty value. As Go's omitempty writes them, an
/// empty string, an empty OnBuild, a zero duration or Retries count and an absent
/// Healthcheck's fields are absent; an absent Entrypoint, Cmd, Shell or Healthcheck.Test
/// differs from an empty one. rootfs and history are compared elsewhere.
std::vector<ConfigDifference> diff_configs(const oci::ImageConfig& before, const oci::ImageConfig& after,
                                           const std::vector<std::string>& ignored = {});

// ---------------------------------------------------------------------------------------
// Two histories and two layer lists

/// A history step (created_by) that only one image has, or that both have with other
/// details.
struct HistoryDifference {
    ChangeKind kind = ChangeKind::added;  ///< added: only in the new history; deleted: only in the old;
                                          ///< changed: in both, `fields` differ
    std::size_t position = 0;             ///< index into that image's history (the new one's when changed)
    std::string created_by;
    std::optional<std::size_t> old_position;  ///< changed: the index into the old history
    std::vector<ConfigDifference> fields;     ///< changed: "created", "author", "comment" (strings),
                                              ///< "empty_layer" (boolean)
};

/// The steps not in a longest common subsequence of the two created_by lists, and the
/// steps paired by it whose created (unless `ignore_created`), author, comment or
/// empty_layer differ, in alignment order (a removed step before the step added in its
/// place).
std::vector<HistoryDifference> diff_histories(const std::vector<oci::HistoryEntry>& before,
                                              const std::vector<oci::HistoryEntry>& after, bool ignore_created = false);

/// One layer (by diff_id) and where each image has it.
struct LayerPresence {
    std::string diff_id;
    std::optional<std::size_t> before;  ///< position in the old image
    std::optional<std::size_t> after;   ///< position in the new image
};

/// Which diff_ids the two images share.
struct LayerComparison {
    /// The old image's layers in order (with the new position when shared), then the
    /// layers only the new image has, in its order. A diff_id that occurs several times
    /// pairs occurrence by occurrence.
    std::vector<LayerPresence> layers;
    std::size_t common_base = 0;  ///< how many leading layers are the same in both
    bool equal = true;            ///< the same diff_ids in the same order
};

/// Compares two diff_id lists.
LayerComparison compare_layers(const std::vector<std::string>& before, const std::vector<std::string>& after);

// ---------------------------------------------------------------------------------------
// Two images

/// What an image comparison leaves out.
struct ImageDiffOptions {
    FileDiffOptions files;
    bool ignore_config = false;
    bool ignore_history = false;
    bool ignore_layers = false;
    bool ignore_created = false;         ///< the config's created and each history step's created
    bool ignore_docker_version = false;  ///< docker_version, container and container_config
    std::vector<std::string> ignore_fields;  ///< config fields and groups, as is_config_field takes them
};

/// One image as the comparison sees it; the pointers are the caller's and must outlive
/// the call.
struct ImageSide {
    const MergedTree* tree = nullptr;           ///< the merged top filesystem
    const oci::ImageConfig* config = nullptr;  ///< config, history and rootfs.diff_ids
};

/// Everything that differs between two images. Parts an option left out stay empty.
struct ImageDifferences {
    std::vector<FileDifference> files;
    std::vector<ConfigDifference> config;
    std::vector<HistoryDifference> history;
    LayerComparison layers;

    /// Whether anything that was compared differs.
    [[nodiscard]] bool differ() const;
};

/// Compares two images.
ImageDifferences diff_images(const ImageSide& before, const ImageSide& after, const ImageDiffOptions& options);

// ---------------------------------------------------------------------------------------
// One path across the layers of one image

/// Whether `tree` holds `path` or anything below it (the root: anything at all).
bool holds(const MergedTree& tree, const std::string& path);

/// The changes of one layer that touched `path` (normalised): changes at the path or
/// below it, and, when the tree held the path before the layer (`held`), the deletion or
/// non-directory replacement of an ancestor, which removed it. In path order.
std::vector<Change> changes_touching(const LayerChanges& changes, const std::string& path, bool held);

/// What one layer did to a path.
struct PathChanges {
    std::size_t layer = 0;
    std::vector<Change> changes;  ///< never empty
};

/// Applies `layers` (base first) to `tree` (empty; it holds what the changes point at, so
/// it must outlive them) and returns, in layer order, each layer that touched `path`.
/// `after_layer`, when given, is called with each layer's position once the layer is
/// applied (and whether it touched `path`), while `tree` holds the state after it.
std::vector<PathChanges> blame(const std::vector<std::shared_ptr<const archive::LayerIndex>>& layers,
                               std::string_view path, MergedTree& tree,
                               const std::function<void(std::size_t layer, bool touched)>& after_layer = {});

}  // namespace tarsier::fs
