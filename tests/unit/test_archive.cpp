#include <boost/test/unit_test.hpp>

#include <openssl/sha.h>
#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <thread>

#include <cstdio>

#include "archive/blob_scan.hpp"
#include "archive/container.hpp"
#include "archive/layer_index.hpp"
#include "archive/layer_size.hpp"
#include "archive/tar_writer.hpp"
#include "archive/ustar_walk.hpp"
#include "io/file_source.hpp"
#include "io/root_dir.hpp"
#include "tar_builder.hpp"
#include "xorshift.hpp"

using namespace tarsier;
using tarsier::test::TarBuilder;

namespace {

/// SHA-256 through OpenSSL's one-shot API (not the streaming hasher under test).
std::string sha256_ref(const std::string& data) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
    std::string hex = "sha256:";
    char b[3];
    for (unsigned char c : md) {
        std::snprintf(b, sizeof b, "%02x", c);
        hex += b;
    }
    return hex;
}

struct TempFile {
    std::string path;
    explicit TempFile(const std::string& data) : path(test::temp_file(data)) {}
    ~TempFile() { ::unlink(path.c_str()); }
};

/// The raw SHA-256 of `data` (what a ContentDigest::sha256 index holds).
std::string sha256_bytes(std::string_view data) {
    std::string md(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), reinterpret_cast<unsigned char*>(md.data()));
    return md;
}

/// Every regular file of `index` lies, as LayerIndex::data_offsets says, in `tar`: its
/// bytes there have the content digest a scan of the bytes (`hashed`, SHA-256) gave it.
void check_data_offsets(const tarsier::archive::LayerIndex& index, const tarsier::archive::LayerIndex& hashed,
                        std::string_view tar) {
    BOOST_TEST_REQUIRE(index.data_offsets.size() == index.entries.size());
    BOOST_TEST_REQUIRE(hashed.entries.size() == index.entries.size());
    std::size_t files = 0;
    for (std::size_t i = 0; i < index.entries.size(); ++i) {
        const auto& e = index.entries[i];
        if (e.type != '0') continue;
        ++files;
        const auto at = index.data_offsets[i];
        BOOST_TEST_REQUIRE(at != tarsier::archive::LayerIndex::kNoDataOffset);
        BOOST_TEST_REQUIRE(at % 512 == 0);
        BOOST_TEST_REQUIRE(at + e.size <= tar.size());
        BOOST_TEST(sha256_bytes(tar.substr(at, e.size)) == hashed.entries[i].content(), e.path());
    }
    BOOST_TEST(files > 2);
}

tarsier::archive::ScanOptions full_scan() {
    tarsier::archive::ScanOptions o;
    o.raw_digest = digest::Algorithm::sha256;
    o.diff_id = true;
    o.walk_tar = true;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(archive_layer_size)

tarsier::archive::TarHeader header(std::string path, char type, std::uint64_t size = 0, std::string link = "") {
    tarsier::archive::TarHeader h;
    h.path = std::move(path);
    h.type = type;
    h.size = size;
    h.link = std::move(link);
    return h;
}

BOOST_AUTO_TEST_CASE(counts_files_once_per_inode_and_symlink_targets) {
    tarsier::archive::LayerSizer s;
    s.add(header("bin/", '5'));
    s.add(header("bin/busybox", '0', 1000));
    s.add(header("bin/sh", '1', 0, "bin/busybox"));   // hardlink: counted once
    s.add(header("bin/ls", '1', 0, "./bin/busybox"));
    s.add(header("etc/link", '2', 0, "../bin/busybox"));  // symlink: 14 bytes of target
    s.add(header("etc/.wh.gone", '0', 0));
    s.add(header("dev/null", '3'));
    BOOST_TEST(s.total() == 1000u + 14u);
}

BOOST_AUTO_TEST_CASE(a_path_written_twice_counts_its_last_version) {
    tarsier::archive::LayerSizer s;
    s.add(header("a", '0', 100));
    s.add(header("a", '0', 7));
    BOOST_TEST(s.total() == 7u);
}

BOOST_AUTO_TEST_CASE(hardlink_to_lower_layer_counts_nothing_here) {
    tarsier::archive::LayerSizer s;
    s.add(header("x", '1', 0, "lower/file"));
    BOOST_TEST(s.total() == 0u);
}

/// LayerSizer over the headers, and layer_size over the index built from them.
std::pair<std::uint64_t, std::uint64_t> both_sizes(const std::vector<tarsier::archive::TarHeader>& headers) {
    tarsier::archive::LayerSizer s;
    tarsier::archive::LayerIndexBuilder b;
    for (const auto& h : headers) {
        s.add(h);
        b.begin(h);
        b.end();
    }
    return {s.total(), tarsier::archive::layer_size(*b.finish())};
}

BOOST_AUTO_TEST_CASE(index_size_matches_the_sizer_on_chains_and_rewrites) {
    using H = std::vector<tarsier::archive::TarHeader>;
    const std::vector<H> cases{
        {header("a", '0', 5), header("b", '1', 0, "a"), header("c", '1', 0, "b")},  // chain: 5
        {header("a", '0', 5), header("b", '1', 0, "a"), header("a", '0', 9)},       // rewritten after: 14
        {header("b", '1', 0, "a"), header("a", '0', 5)},                             // link first: 5
        {header("a", '0', 5), header("a", '5'), header("b", '1', 0, "a")},          // target became a dir: 0
        {header("a", '0', 5), header("b", '1', 0, "./a"), header("a", '5')},        // shared inode survives: 5
        {header("d/.wh.x", '0'), header("l", '2', 0, "../some/target")},             // whiteout 0, symlink 14
        {header("a", '0', 5), header("b", '1', 0, "../../a")},                       // escaping target: 5
        {header("./", '5'), header("/a", '0', 3), header("a", '0', 4)},             // root skipped, last wins: 4
    };
    for (const auto& c : cases) {
        auto [sizer, index] = both_sizes(c);
        BOOST_TEST(sizer == index);
    }
    BOOST_TEST(both_sizes(cases[0]).first == 5u);
    BOOST_TEST(both_sizes(cases[1]).first == 14u);
    BOOST_TEST(both_sizes(cases[3]).first == 0u);
}

BOOST_AUTO_TEST_CASE(index_size_matches_the_sizer_on_random_layers) {
    // Few names, so that duplicates, chains of hardlinks and rewrites are frequent.
    test::XorShift random(0x9e3779b97f4a7c15ULL);
    auto next = [&random](std::uint64_t bound) { return random.next(bound); };
    const char* names[] = {"a", "b", "d/a", "d/b", "d", "d/.wh.a", ".wh.b", "e/f"};
    const char types[] = {'0', '0', '0', '1', '1', '1', '2', '5', '6'};
    for (int round = 0; round < 2000; ++round) {
        std::vector<tarsier::archive::TarHeader> headers;
        std::size_t count = 1 + next(12);
        for (std::size_t i = 0; i < count; ++i) {
            char t = types[next(std::size(types))];
            headers.push_back(header(names[next(std::size(names))], t, t == '0' ? 1 + next(1000) : 0,
                                     t == '1' || t == '2' ? names[next(std::size(names))] : ""));
        }
        auto [sizer, index] = both_sizes(headers);
        BOOST_TEST_REQUIRE(sizer == index, "round " << round);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(archive_blob_scan)

BOOST_AUTO_TEST_CASE(gzip_layer_gives_both_digests_and_sizes) {
    std::string tar = TarBuilder().dir("d/").file("d/a", std::string(3000, 'x')).symlink("d/l", "a").finish();
    std::string gz = test::gzip(tar);
    io::MemoryReader r(gz);
    auto s = tarsier::archive::scan_blob(r, full_scan());
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST((s->compression == io::Compression::gzip));
    BOOST_TEST(*s->digest == sha256_ref(gz));
    BOOST_TEST(*s->diff_id == sha256_ref(tar));
    BOOST_TEST(s->size == gz.size());
    BOOST_TEST(*s->uncompressed_size == tar.size());
    BOOST_TEST(s->is_tar);
    BOOST_TEST(s->entry_count == 3u);
    BOOST_TEST(s->content_size == 3000u + 1u);
    BOOST_TEST(!s->decode_error.has_value());
}

/// Records what a scan hands a FileStager.
struct RecordingStager final : tarsier::archive::FileStager {
    std::map<std::uint32_t, std::string>& files;
    std::uint32_t current = 0;
    explicit RecordingStager(std::map<std::uint32_t, std::string>& out) : files(out) {}
    bool begin(std::uint32_t ordinal, const tarsier::archive::TarHeader& h,
               const std::vector<std::pair<std::string, std::string>>&) override {
        current = ordinal;
        files[ordinal];
        return h.path != "skip";  // a file it does not want: nothing more of it
    }
    void data(std::span<const std::uint8_t> b) override { files[current].append(reinterpret_cast<const char*>(b.data()), b.size()); }
    void end() override { files[current] += "|end"; }
};

BOOST_AUTO_TEST_CASE(a_stager_gets_each_regular_file_of_a_compressed_layer_by_its_index_ordinal) {
    // "." is the root (no entry of the index), "../out" leaves it (none either): the
    // ordinals are the index's, not the tar's.
    std::string tar = TarBuilder()
                          .dir("d")
                          .dir(".")
                          .file("../out", "escapes")
                          .file("d/a", std::string(5000, 'a'))
                          .symlink("d/l", "a")
                          .file("skip", "not wanted")
                          .file("d/b", "")
                          .finish();
    std::map<std::uint32_t, std::string> got;
    auto options = full_scan();
    options.index = tarsier::archive::ContentDigest::none;
    const std::string gz = test::gzip(tar);
    io::MemoryReader r(gz);
    RecordingStager stager(got);
    auto s = tarsier::archive::scan_blob(r, options, &stager);
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST_REQUIRE(!s->decode_error, (s->decode_error ? s->decode_error->to_string() : ""));
    BOOST_TEST_REQUIRE(s->index);
    const auto& entries = s->index->entries;
    BOOST_TEST_REQUIRE(entries.size() == 5u);
    BOOST_TEST(got.size() == 3u);
    BOOST_TEST(got.at(1) == std::string(5000, 'a') + "|end");
    BOOST_TEST(entries[1].path() == "d/a");
    BOOST_TEST(got.at(3).empty());  // begun, not wanted
    BOOST_TEST(entries[3].path() == "skip");
    BOOST_TEST(got.at(4) == "|end");
    BOOST_TEST(entries[4].path() == "d/b");
    // An uncompressed layer is read where it lies: nothing is staged.
    got.clear();
    io::MemoryReader plain(tar);
    RecordingStager none(got);
    BOOST_TEST(tarsier::archive::scan_blob(plain, options, &none).ok());
    BOOST_TEST(got.empty());
}

BOOST_AUTO_TEST_CASE(bytes_after_the_end_of_archive_count_in_the_diff_id) {
    // eStargz keeps its table of contents after the end-of-archive blocks.
    std::string tar = TarBuilder().file("f", "hello").finish() + std::string("TRAILING TOC DATA");
    io::MemoryReader r(tar);
    auto s = tarsier::archive::scan_blob(r, full_scan());
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST(*s->diff_id == sha256_ref(tar));
    BOOST_TEST(*s->uncompressed_size == tar.size());
    BOOST_TEST(s->entry_count == 1u);
}

BOOST_AUTO_TEST_CASE(empty_stream_is_an_empty_layer) {
    io::MemoryReader r(std::string_view{});
    auto s = tarsier::archive::scan_blob(r, full_scan());
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST(s->is_tar);
    BOOST_TEST(s->entry_count == 0u);
    BOOST_TEST(*s->diff_id == sha256_ref(""));
}

BOOST_AUTO_TEST_CASE(text_is_not_a_tar_but_still_hashed) {
    std::string text = "this is not a layer, only 33 byte";
    io::MemoryReader r(text);
    auto s = tarsier::archive::scan_blob(r, full_scan());
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST(!s->is_tar);
    BOOST_TEST_REQUIRE(s->decode_error.has_value());
    BOOST_TEST(s->decode_error->what.find("not a tar archive") != std::string::npos);
    BOOST_TEST(*s->digest == sha256_ref(text));
    BOOST_TEST(s->size == text.size());
}

BOOST_AUTO_TEST_CASE(corrupt_gzip_is_a_decode_error_not_a_failure) {
    std::string tar = TarBuilder().file("f", std::string(100000, 'q')).finish();
    std::string gz = test::gzip(tar);
    gz[gz.size() / 2] ^= 0x55;
    io::MemoryReader r(gz);
    auto s = tarsier::archive::scan_blob(r, full_scan());
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST(s->decode_error.has_value());
    BOOST_TEST(!s->diff_id.has_value());
    BOOST_TEST(*s->digest == sha256_ref(gz));
}

BOOST_AUTO_TEST_CASE(decoded_size_limit_stops_a_bomb) {
    std::string tar = TarBuilder().file("zeros", std::string(4 << 20, '\0')).finish();
    std::string gz = test::gzip(tar, 9);
    io::MemoryReader r(gz);
    auto opt = full_scan();
    opt.max_layer_size = 1 << 20;
    auto s = tarsier::archive::scan_blob(r, opt);
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST_REQUIRE(s->decode_error.has_value());
    BOOST_TEST(static_cast<int>(s->decode_error->kind) == static_cast<int>(util::ErrorKind::limit));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(archive_container)

std::string outer_archive() {
    std::string layer = TarBuilder().file("etc/hostname", "box\n").finish();
    return TarBuilder()
        .file("./manifest.json", "[{\"Config\":\"c.json\"}]")
        .file("aaa/layer.tar", layer)
        .symlink("bbb/layer.tar", "../aaa/layer.tar")
        .symlink("loop1", "loop2")
        .symlink("loop2", "loop1")
        .symlink("escape", "../../etc/passwd")
        .file("../evil", "x")
        .file("dup", "first")
        .file("dup", "second")
        .finish();
}

void check_container(const tarsier::archive::Container& c) {
    auto m = c.find("manifest.json");
    BOOST_TEST_REQUIRE(m.ok());
    BOOST_TEST_REQUIRE(*m != nullptr);
    BOOST_TEST(*c.read_document(**m) == "[{\"Config\":\"c.json\"}]");
    // A symlinked layer resolves to the same entry.
    auto a = c.find("aaa/layer.tar");
    auto b = c.find("bbb/layer.tar");
    BOOST_TEST_REQUIRE((a.ok() && b.ok() && *a && *b));
    BOOST_TEST(*a == *b);
    auto stats = c.blob_stats(**b, full_scan());
    BOOST_TEST_REQUIRE(stats.ok());
    BOOST_TEST(stats->content_size == 4u);
    BOOST_TEST(!c.find("loop1").ok());
    BOOST_TEST(!c.find("escape").ok());
    BOOST_TEST(*c.find("absent") == nullptr);
    auto dup = c.find("dup");
    BOOST_TEST(*c.read_document(**dup) == "second");
    bool saw_escape = false, saw_dup = false;
    for (const auto& f : c.findings()) {
        saw_escape = saw_escape || f.code == "entry-escapes-root";
        saw_dup = saw_dup || f.code == "duplicate-entry";
    }
    BOOST_TEST(saw_escape);
    BOOST_TEST(saw_dup);
}

BOOST_AUTO_TEST_CASE(seekable_tar_is_indexed_and_read_by_offset) {
    TempFile f(outer_archive());
    auto c = tarsier::archive::open_container(f.path, {});
    BOOST_TEST_REQUIRE(c.ok());
    BOOST_TEST(static_cast<int>((*c)->packaging()) == static_cast<int>(tarsier::archive::Packaging::tar_file));
    check_container(**c);
}

BOOST_AUTO_TEST_CASE(compressed_outer_archive_is_streamed_with_the_same_result) {
    TempFile f(test::gzip(outer_archive()));
    tarsier::archive::OpenOptions o;
    o.stream_scan = full_scan();
    auto c = tarsier::archive::open_container(f.path, o);
    BOOST_TEST_REQUIRE(c.ok());
    BOOST_TEST(static_cast<int>((*c)->packaging()) == static_cast<int>(tarsier::archive::Packaging::tar_stream));
    BOOST_TEST((*c)->outer_compression() == "gzip");
    check_container(**c);
}

BOOST_AUTO_TEST_CASE(empty_and_non_tar_files_are_not_image_archives) {
    TempFile empty("");
    auto c = tarsier::archive::open_container(empty.path, {});
    BOOST_TEST_REQUIRE(!c.ok());
    BOOST_TEST(static_cast<int>(c.error().kind) == static_cast<int>(util::ErrorKind::not_image));
    TempFile text(std::string(2000, 'a'));
    auto t = tarsier::archive::open_container(text.path, {});
    BOOST_TEST_REQUIRE(!t.ok());
    BOOST_TEST(static_cast<int>(t.error().kind) == static_cast<int>(util::ErrorKind::not_image));
    auto missing = tarsier::archive::open_container("/nonexistent/tarsier.tar", {});
    BOOST_TEST(static_cast<int>(missing.error().kind) == static_cast<int>(util::ErrorKind::not_found));
}

BOOST_AUTO_TEST_CASE(truncated_archive_fails_naming_the_place) {
    std::string whole = outer_archive();
    TempFile f(whole.substr(0, 1536 + 100));  // inside the second entry's header area
    auto c = tarsier::archive::open_container(f.path, {});
    BOOST_TEST_REQUIRE(!c.ok());
    BOOST_TEST(c.error().to_string().find(f.path) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(archive_ustar_walk)

/// The lean walker and libarchive must agree wherever the lean walker answers.
void check_same(const std::string& tar, bool expect_fast) {
    TempFile f(tar);
    auto file = io::FileSource::open(f.path);
    BOOST_TEST_REQUIRE(file.ok());
    tarsier::archive::ScanOptions o;
    auto fast = tarsier::archive::walk_plain_ustar(**file, 0, tar.size(), o);
    auto slow = tarsier::archive::walk_tar_headers(**file, 0, tar.size(), o);
    BOOST_TEST_REQUIRE(slow.ok());
    BOOST_TEST(fast.has_value() == expect_fast);
    if (!fast) return;
    BOOST_TEST_REQUIRE(fast->ok());
    BOOST_TEST((*fast)->content_size == slow->content_size);
    BOOST_TEST((*fast)->entry_count == slow->entry_count);
    BOOST_TEST((*fast)->is_tar == slow->is_tar);
}

std::string tree(TarBuilder b) {
    std::string long_dir(120, 'd');
    std::string long_name = long_dir + "/" + std::string(150, 'n');  // > 255: needs PAX or GNU L
    return b.dir("a/")
        .file("a/x", std::string(700, 'x'))
        .hardlink("a/y", "a/x")
        .symlink("a/s", "x")
        .dir(long_dir + "/")
        .file(long_name, "long")
        .symlink(long_dir + "/ln", std::string(130, 't'))  // long link target
        .file("a/.wh.gone", "")
        .finish();
}

BOOST_AUTO_TEST_CASE(pax_and_gnu_long_names_agree_with_libarchive) {
    check_same(tree(TarBuilder(TarBuilder::Format::pax_restricted)), true);
    check_same(tree(TarBuilder(TarBuilder::Format::gnu)), true);
}

BOOST_AUTO_TEST_CASE(plain_ustar_agrees_with_libarchive) {
    check_same(TarBuilder(TarBuilder::Format::ustar).dir("d/").file("d/f", std::string(5000, 'q')).symlink("d/l", "f").finish(),
               true);
}

BOOST_AUTO_TEST_CASE(anything_unusual_is_left_to_libarchive) {
    std::string tar = TarBuilder(TarBuilder::Format::ustar).file("f", "data").finish();
    check_same(tar.substr(0, 1024), false);  // no end-of-archive blocks
    std::string bad = tar;
    bad[0] ^= 1;  // checksum no longer matches
    TempFile f(bad);
    auto file = io::FileSource::open(f.path);
    BOOST_TEST(!tarsier::archive::walk_plain_ustar(**file, 0, bad.size(), {}).has_value());
}

BOOST_AUTO_TEST_CASE(empty_layer_is_an_empty_tar) {
    check_same(std::string(1024, '\0'), true);
    check_same(std::string(10240, '\0'), true);
}

/// The index built from headers alone (ContentDigest::none) holds what a scan of the bytes
/// holds, but the content digests.
BOOST_AUTO_TEST_CASE(metadata_index_from_headers_equals_the_scanned_index) {
    for (auto format : {TarBuilder::Format::pax_restricted, TarBuilder::Format::gnu}) {
        std::string tar = tree(TarBuilder(format));
        TempFile f(tar);
        auto file = io::FileSource::open(f.path);
        BOOST_TEST_REQUIRE(file.ok());
        tarsier::archive::ScanOptions meta;
        meta.index = tarsier::archive::ContentDigest::none;
        auto fast = tarsier::archive::index_tar_headers(**file, 0, tar.size(), meta);
        BOOST_TEST_REQUIRE(fast.has_value());
        BOOST_TEST_REQUIRE(fast->ok());
        tarsier::archive::ScanOptions xxh;
        xxh.index = tarsier::archive::ContentDigest::xxh128;
        io::MemoryReader r(tar);
        auto scanned_or = tarsier::archive::scan_blob(r, xxh);
        BOOST_TEST_REQUIRE(scanned_or.ok());
        const auto& scanned = *scanned_or;
        BOOST_TEST_REQUIRE(scanned.index != nullptr);
        const auto& a = (*fast)->index->entries;
        const auto& b = scanned.index->entries;
        BOOST_TEST_REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            BOOST_TEST(a[i].path() == b[i].path());
            BOOST_TEST(a[i].link() == b[i].link());
            BOOST_TEST(a[i].type == b[i].type);
            BOOST_TEST(a[i].mode == b[i].mode);
            BOOST_TEST(a[i].size == b[i].size);
            BOOST_TEST(a[i].mtime == b[i].mtime);
            BOOST_TEST(a[i].content().empty());
            BOOST_TEST(b[i].content().empty() == (b[i].type != '0'));
        }
        BOOST_TEST((*fast)->content_size == scanned.content_size);
        BOOST_TEST((*fast)->entry_count == scanned.entry_count);
        // Where each file's bytes lie, for export's second pass.
        tarsier::archive::ScanOptions sha;
        sha.index = tarsier::archive::ContentDigest::sha256;
        io::MemoryReader r2(tar);
        auto hashed = tarsier::archive::scan_blob(r2, sha);
        BOOST_TEST_REQUIRE(hashed.ok());
        check_data_offsets(*(*fast)->index, *hashed->index, tar);
        BOOST_TEST(scanned.index->data_offsets.empty());  // only when asked for
        // An index with content digests answers a request for one without; not the reverse.
        BOOST_TEST(meta.satisfied_by(xxh));
        BOOST_TEST(!xxh.satisfied_by(meta));
        // Anything that needs the bytes is not answered from headers.
        meta.capture = [](std::string_view) { return true; };
        BOOST_TEST(!tarsier::archive::index_tar_headers(**file, 0, tar.size(), meta).has_value());
    }
    // A cut tar is left to the scan of its bytes, which says where it ends.
    std::string cut = tree(TarBuilder(TarBuilder::Format::pax_restricted));
    cut = cut.substr(0, 1536 + 100);
    TempFile f(cut);
    auto file = io::FileSource::open(f.path);
    tarsier::archive::ScanOptions meta;
    meta.index = tarsier::archive::ContentDigest::none;
    BOOST_TEST(!tarsier::archive::index_tar_headers(**file, 0, cut.size(), meta).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(archive_tar_writer)

/// The bytes of the file at `path`, which is then removed.
std::string take_file(const std::string& path) {
    std::string out;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    BOOST_TEST_REQUIRE(f != nullptr);
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
    ::unlink(path.c_str());
    return out;
}

/// What a TarWriter on a new file writes for `files` (name, bytes), each file's data
/// given through data() or, with `from_file`, through data_from() over `source`; to a
/// pipe, or a file opened O_APPEND (which neither copy_file_range nor sendfile takes).
std::string write_tar(const std::vector<std::pair<std::string, std::string>>& files, tarsier::archive::WriteCompression c,
                      bool from_file, bool to_pipe, bool append = false) {
    // Every file's bytes back to back in one source file.
    std::string all;
    for (const auto& f : files) all += f.second;
    TempFile source(all);
    io::Fd in(::open(source.path.c_str(), O_RDONLY | O_CLOEXEC));
    std::string out_path = test::temp_file("");
    int fds[2] = {-1, -1};
    int fd = -1;
    if (to_pipe) {
        BOOST_TEST_REQUIRE(::pipe(fds) == 0);
        fd = fds[1];
    } else {
        fd = ::open(out_path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | (append ? O_APPEND : 0));
    }
    std::string piped;
    std::thread reader;
    if (to_pipe)
        reader = std::thread([&] {
            char buf[65536];
            for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) piped.append(buf, static_cast<std::size_t>(n));
        });
    {
        auto w = tarsier::archive::TarWriter::open(fd, c);
        BOOST_TEST_REQUIRE(w.ok());
        std::uint64_t at = 0;
        for (const auto& [name, bytes] : files) {
            tarsier::archive::TarHeader h;
            h.path = name;
            h.mode = 0644;
            h.size = bytes.size();
            h.mtime = 1700000000;
            BOOST_TEST_REQUIRE((*w)->header(h, {}).ok());
            if (from_file)
                BOOST_TEST_REQUIRE((*w)->data_from(io::FileSpan{in.get(), at, bytes.size()}).ok());
            else
                BOOST_TEST_REQUIRE((*w)->data(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())).ok());
            at += bytes.size();
        }
        BOOST_TEST_REQUIRE((*w)->finish().ok());
    }
    ::close(fd);
    if (to_pipe) {
        reader.join();
        ::close(fds[0]);
        ::unlink(out_path.c_str());
        return piped;
    }
    return take_file(out_path);
}

// Data copied file to file in the kernel (copy_file_range, sendfile to a pipe, or read
// and written for an O_APPEND file or a compressed stream) gives exactly the bytes data()
// gives.
BOOST_AUTO_TEST_CASE(data_from_a_file_writes_what_data_writes) {
    test::XorShift rng(7);
    std::vector<std::pair<std::string, std::string>> files;
    for (std::size_t size : {0, 1, 511, 512, 513, 65535, 65536, 300000, 1 << 20, (1 << 20) + 3, 10}) {
        std::string bytes(size, '\0');
        for (auto& ch : bytes) ch = static_cast<char>(rng.next(256));
        files.emplace_back("f" + std::to_string(files.size()), bytes);
    }
    using tarsier::archive::WriteCompression;
    for (auto c : {WriteCompression::none, WriteCompression::gzip}) {
        const std::string expected = write_tar(files, c, false, false);
        BOOST_TEST(expected.size() > std::size_t{2} << 20);
        BOOST_TEST((write_tar(files, c, true, false) == expected));
        BOOST_TEST((write_tar(files, c, true, true) == expected));
        BOOST_TEST((write_tar(files, c, true, false, true) == expected));
        if (c == WriteCompression::none) BOOST_TEST(expected.size() % 10240 == 0);  // whole records, as tar(1)
    }
}

// A tar written in parts at once (open_at: each part at the offset measured for it,
// the parts written last to first, then the end of archive) is byte for byte the tar one
// writer writes: pax headers for long names, data through data() and data_from(); also
// after other bytes in the file (its whole records count from the stream's start).
BOOST_AUTO_TEST_CASE(parts_at_measured_offsets_make_the_one_pass_tar) {
    using tarsier::archive::TarWriter;
    test::XorShift rng(11);
    std::vector<std::pair<std::string, std::string>> files;
    for (std::size_t size : {0, 1, 511, 512, 513, 70000, 200000, 3}) {
        std::string bytes(size, '\0');
        for (auto& ch : bytes) ch = static_cast<char>(rng.next(256));
        std::string name = "d/f" + std::to_string(files.size());
        if (files.size() % 3 == 1) name = std::string(150, 'n') + name;  // a pax path record
        files.emplace_back(name, bytes);
    }
    const std::string expected = write_tar(files, tarsier::archive::WriteCompression::none, false, false);
    const std::vector<std::pair<std::size_t, std::size_t>> parts = {{0, 3}, {3, 4}, {4, 8}};  // [first, last)
    auto header = [&](std::size_t k) {
        tarsier::archive::TarHeader h;
        h.path = files[k].first;
        h.mode = 0644;
        h.size = files[k].second.size();
        h.mtime = 1700000000;
        return h;
    };
    const std::string prefix = "header\n";  // what the file held before the stream
    const std::uint64_t start = prefix.size();
    std::vector<std::uint64_t> offset = {start};
    for (const auto& [first, last] : parts) {
        auto m = TarWriter::open_at(-1, offset.back(), false, start);
        BOOST_TEST_REQUIRE(m.ok());
        for (std::size_t k = first; k < last; ++k) {
            BOOST_TEST_REQUIRE((*m)->header(header(k), {}).ok());
            BOOST_TEST_REQUIRE((*m)->measure_data(files[k].second.size()).ok());
        }
        BOOST_TEST_REQUIRE((*m)->finish().ok());
        offset.push_back(offset.back() + (*m)->written());
    }
    std::string all;
    for (const auto& f : files) all += f.second;
    TempFile source(all);
    io::Fd in(::open(source.path.c_str(), O_RDONLY | O_CLOEXEC));
    std::string out_path = test::temp_file("");
    int fd = ::open(out_path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    BOOST_TEST_REQUIRE(fd >= 0);
    BOOST_TEST_REQUIRE(::write(fd, prefix.data(), prefix.size()) == static_cast<ssize_t>(prefix.size()));
    for (std::size_t p = parts.size(); p-- > 0;) {
        auto w = TarWriter::open_at(fd, offset[p], false, start);
        BOOST_TEST_REQUIRE(w.ok());
        BOOST_TEST(!(*w)->measure_data(1).ok());  // a writer that writes does not measure
        for (std::size_t k = parts[p].first; k < parts[p].second; ++k) {
            BOOST_TEST_REQUIRE((*w)->header(header(k), {}).ok());
            const auto& bytes = files[k].second;
            if (k % 2 == 0) {
                BOOST_TEST_REQUIRE((*w)->data(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())).ok());
            } else {
                std::uint64_t at = 0;
                for (std::size_t j = 0; j < k; ++j) at += files[j].second.size();
                BOOST_TEST_REQUIRE((*w)->data_from(io::FileSpan{in.get(), at, bytes.size()}).ok());
            }
        }
        BOOST_TEST_REQUIRE((*w)->finish().ok());
        BOOST_TEST((*w)->written() == offset[p + 1] - offset[p]);
    }
    auto end = TarWriter::open_at(fd, offset.back(), true, start);
    BOOST_TEST_REQUIRE(end.ok());
    BOOST_TEST_REQUIRE((*end)->finish().ok());
    const std::uint64_t stream_end = offset.back() + (*end)->written();  // the trailer and the padding to a record
    BOOST_TEST(::lseek(fd, 0, SEEK_CUR) == static_cast<off_t>(start));  // the descriptor's own offset is left alone
    ::close(fd);
    const std::string out = take_file(out_path);
    BOOST_TEST(out.size() == prefix.size() + expected.size());
    BOOST_TEST(stream_end == out.size());
    BOOST_TEST((out == prefix + expected));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(archive_blob_scan_pipeline)

// Scanning on two threads must give exactly what one thread gives.
BOOST_AUTO_TEST_CASE(pipeline_matches_single_thread) {
    std::string big;
    for (int i = 0; i < 3000; ++i) big += "line " + std::to_string(i * 7919 % 100003) + "\n";
    std::string tar = TarBuilder().file("a", big).file("b", std::string(3 << 20, 'z')).finish();
    std::string corrupt = test::gzip(tar);
    corrupt[corrupt.size() / 3] ^= 0x21;
    const std::vector<std::string> blobs{tar, test::gzip(tar), corrupt};
    for (const std::string& blob : blobs) {
        auto one = full_scan();
        auto two = full_scan();
        two.pipeline = true;
        io::MemoryReader r1(blob), r2(blob);
        auto a = tarsier::archive::scan_blob(r1, one);
        auto b = tarsier::archive::scan_blob(r2, two);
        BOOST_TEST_REQUIRE((a.ok() && b.ok()));
        BOOST_TEST(*a->digest == *b->digest);
        BOOST_TEST(a->diff_id.value_or("-") == b->diff_id.value_or("-"));
        BOOST_TEST(a->uncompressed_size.value_or(0) == b->uncompressed_size.value_or(0));
        BOOST_TEST(a->content_size == b->content_size);
        BOOST_TEST(a->entry_count == b->entry_count);
        BOOST_TEST(a->decode_error.has_value() == b->decode_error.has_value());
        BOOST_TEST(a->size == blob.size());
        BOOST_TEST(b->size == blob.size());
        // The diff_id is the SHA-256 of the decoded tar, whichever thread hashed it (the
        // decoder's in the pipeline); none for the corrupt stream.
        if (&blob != &blobs.back()) BOOST_TEST(b->diff_id.value_or("-") == digest::sha256(tar));
        else BOOST_TEST(!b->diff_id.has_value());
    }
}

BOOST_AUTO_TEST_SUITE_END()
