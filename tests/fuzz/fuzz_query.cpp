/// libFuzzer target: the queries. The input is an archive (a tar, possibly compressed),
/// opened from memory as the commands open a file (query::open_archive_bytes); every
/// image's every query runs on it: layers, history, inspect, changes, files, blame, waste
/// and audit, with a --layer chosen by the input's last byte.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "query/audit.hpp"
#include "query/changes.hpp"
#include "query/history.hpp"
#include "query/inspect.hpp"
#include "query/layers.hpp"
#include "query/read.hpp"
#include "query/waste.hpp"

using namespace tarsier;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::uint8_t mode = size > 0 ? data[size - 1] : 0;
    query::ReadOptions read;
    read.jobs = 1;
    read.max_entries = 20000;
    if (mode & 1) read.content_digest = archive::ContentDigest::sha256;
    if (mode & 2) read.platform = "arm64";
    query::LayersOptions lo;
    lo.estimate_download = (mode & 4) != 0;
    lo.read = read;
    query::Needs needs = query::kFilesNeeds;
    needs.estimate_gzip = lo.estimate_download;
    needs.packages = true;  // --owner reads the package databases kept in the same pass
    auto ar = query::open_archive_bytes("fuzz.tar", bytes, read, needs);
    if (!ar) return 0;
    const std::string layer = (mode & 8) ? std::to_string(mode >> 4) : std::string();
    for (const auto& img : ar->images) {
        (void)query::layers(*ar, img, lo);
        (void)query::history(*ar, img, read);
        (void)query::inspect(*ar, img, read);
        query::ChangesOptions co{layer, read};
        (void)query::changes(*ar, img, co);
        query::FilesOptions fo;
        fo.layer = layer;
        fo.patterns = {"/etc", "*/*"};
        fo.owner = (mode & 16) != 0;
        fo.read = read;
        (void)query::files(*ar, img, fo);
        query::BlameOptions bo;
        bo.path = "/etc/passwd";
        bo.owner = (mode & 32) != 0;
        bo.read = read;
        (void)query::blame(*ar, img, bo);
        query::WasteOptions wo;
        wo.read = read;
        (void)query::waste(*ar, img, wo);
        (void)query::audit_image(*ar, img, read);
    }
    return 0;
}
