// tarsier -V: the versions of the libraries tarsier was built with. This file names the C
// libraries only to ask their versions; their handles stay in their modules.
#include "cli/version.hpp"

#include <archive.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include <CLI/Version.hpp>
#include <fmt/format.h>
#include <rapidjson/rapidjson.h>

#include "io/decompress.hpp"

namespace tarsier::cli {

std::string version_text() {
    std::string out = fmt::format("tarsier {}\n", TARSIER_VERSION);
    auto line = [&out](std::string_view name, std::string_view version, std::string_view note = {}) {
        out += fmt::format("  {:<10} {}{}{}\n", name, version, note.empty() ? "" : "  ", note);
    };
    // archive_version_details() is "libarchive 3.6.2 zlib/1.2.13 liblzma/5.4.1 ...": the
    // libraries libarchive itself decompresses with.
    std::string_view details = archive_version_details();
    std::string_view own = archive_version_string();
    if (details.starts_with(own)) details.remove_prefix(own.size());
    while (details.starts_with(' ')) details.remove_prefix(1);
    line("libarchive", own.substr(own.find(' ') + 1), details.empty() ? "" : fmt::format("({})", details));
    line("zlib", zlibVersion());
    line("zstd", ZSTD_versionString());
    line("OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING));
    line("RapidJSON", RAPIDJSON_VERSION_STRING);
    line("fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100));
    line("CLI11", CLI11_VERSION);
    const unsigned xxh = XXH_versionNumber();
    line("xxHash", fmt::format("{}.{}.{}", xxh / 10000, xxh / 100 % 100, xxh % 100));
    line("SQLite", sqlite3_libversion());
#ifdef TARSIER_ISAL_VERSION
    line("ISA-L", TARSIER_ISAL_VERSION, io::have_isal() ? "used for gzip inflate" : "built in, not used");
#else
    line("ISA-L", "no", "(gzip inflate uses zlib)");
#endif
    return out;
}

}  // namespace tarsier::cli
