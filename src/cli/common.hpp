#pragma once
/// What every subcommand shares: global options, opening archives, printing errors and
/// choosing the exit status. Only src/cli prints or exits.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/facts.hpp"
#include "image/model.hpp"
#include "report/sink.hpp"
#include "util/error.hpp"

namespace tarsier::cli {

/// Exit statuses, the same for every command (man/tarsier.1).
enum ExitCode : int {
    kExitOk = 0,
    kExitFindings = 1,
    kExitUsage = 2,
    kExitUnreadable = 3,
    kExitInterrupted = 130,
};

/// Options every command accepts.
struct GlobalOptions {
    std::string platform = "linux/amd64";
    bool platform_set = false;
    std::string now;          ///< --now: RFC 3339 time or Unix seconds; "" for the clock
    unsigned jobs = 0;        ///< -j: worker threads; 0 for the number of cores
    bool sha256_content = false;  ///< --content-digest sha256 (file indexes)
    std::uint64_t max_entries = 1'000'000;  ///< --max-entries: per layer index (names: 256 bytes each)
};

/// The exit status for an error.
int exit_code(const util::Error& e);
/// Prints "tarsier: error: <file>: <where>: <what>" to stderr (continuation lines of a
/// multi-line message follow as they are).
void print_error(const util::Error& e);
/// Prints "tarsier: warning: ..." to stderr.
void print_warning(const std::string& message);

/// "Now" in Unix seconds: --now when given, else the clock. Fails (usage) on a bad --now.
util::Result<std::int64_t> now_seconds(const GlobalOptions& g);
/// Worker threads to use.
unsigned job_count(const GlobalOptions& g);

/// Prints `e` (with `file` when the error has none) and returns its exit status.
int fail_with(const util::Error& e, const std::string& file = {});

/// An opened archive and the image the user chose in it.
struct Selected {
    image::Archive archive;
    const image::Image* image = nullptr;  ///< points into archive.images
};
/// Opens `path` and chooses `selector` in it (see image::select_image).
util::Result<Selected> open_image(const std::string& path, const std::string& selector, const GlobalOptions& g,
                                  bool index = false);

/// Opens and resolves an archive for a command; `index` also builds layer file indexes
/// while a stream is read (a stream cannot be read again later).
util::Result<image::Archive> open_archive(const std::string& path, const GlobalOptions& g, bool index = false);

/// The file index of each layer of `img`, base first. Fails on the first layer that is
/// absent or cannot be read, naming it.
util::Result<std::vector<std::shared_ptr<const archive::LayerIndex>>> layer_indexes(const image::Archive& ar,
                                                                                    const image::Image& img,
                                                                                    const GlobalOptions& g);

/// "<archive>: image <id>: layer <n> (<digest>): <what>" for warnings about a layer.
std::string layer_message(const image::Archive& ar, const image::Image& img, std::size_t position, const util::Error& e);

/// Docker's layer size for each layer of `img` (nullopt when the blob is absent or
/// unreadable); warns on stderr about unreadable layers.
std::vector<std::optional<std::uint64_t>> layer_sizes(const image::Archive& ar, const image::Image& img,
                                                      const GlobalOptions& g);
/// The image size: the sum of its layer sizes (absent layers count 0).
std::uint64_t image_size(const std::vector<std::optional<std::uint64_t>>& sizes);

/// Writes text to stdout, all of it.
void write_out(const std::string& text);
/// A view sink that writes to stdout.
report::Sink stdout_sink();

}  // namespace tarsier::cli

namespace tarsier::cli {

/// The local time zone at `unix_seconds`: offset from UTC and abbreviation (the CLI
/// prints local times where Docker does).
struct LocalZone {
    std::int32_t offset = 0;
    std::string name = "UTC";
};
LocalZone local_zone(std::int64_t unix_seconds);

}  // namespace tarsier::cli
