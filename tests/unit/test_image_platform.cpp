// Choosing a platform from a multi-platform index with oci::Platform: an OCI layout written
// by the test (two Windows images that differ only by os.version, as Microsoft publishes
// ltsc2019 and ltsc2022 under one tag), read through image::open_archive as the CLI does.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "digest/digest.hpp"
#include "image/model.hpp"
#include "image/select.hpp"

using namespace tarsier;

namespace {

constexpr const char* kLayerType = "application/vnd.oci.image.layer.v1.tar";
constexpr const char* kConfigType = "application/vnd.oci.image.config.v1+json";
constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";

/// A temporary OCI image layout directory, removed at the end of the test.
class Layout {
public:
    Layout() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "tarsier-platform-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        m_dir = tmpl;
        std::filesystem::create_directories(m_dir / "blobs" / "sha256");
        write("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    }
    ~Layout() {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    Layout(const Layout&) = delete;
    Layout& operator=(const Layout&) = delete;

    void write(const std::string& name, const std::string& bytes) const {
        std::ofstream(m_dir / name, std::ios::binary) << bytes;
    }
    /// Stores a blob; returns a descriptor's "mediaType", "digest" and "size" members.
    std::string blob(const std::string& media_type, const std::string& bytes) const {
        const std::string d = digest::sha256(bytes);
        write(digest::blob_path(*digest::Digest::parse(d)), bytes);
        return "\"mediaType\":\"" + media_type + "\",\"digest\":\"" + d + "\",\"size\":" + std::to_string(bytes.size());
    }
    [[nodiscard]] std::string path() const { return m_dir.string(); }

private:
    std::filesystem::path m_dir;
};

/// One Windows image (an empty layer) for `os_version`; returns its manifest descriptor.
std::string windows_image(const Layout& l, const std::string& os_version) {
    const std::string layer(1024, '\0');  // an empty tar: two zero blocks
    const std::string config = R"({"architecture":"amd64","os":"windows","os.version":")" + os_version +
                               R"(","rootfs":{"type":"layers","diff_ids":[")" + digest::sha256(layer) + R"("]}})";
    const std::string manifest = std::string(R"({"schemaVersion":2,"mediaType":")") + kManifestType +
                                 R"(","config":{)" + l.blob(kConfigType, config) + R"(},"layers":[{)" +
                                 l.blob(kLayerType, layer) + "}]}";
    return "{" + l.blob(kManifestType, manifest) +
           R"(,"platform":{"architecture":"amd64","os":"windows","os.version":")" + os_version + R"("}})";
}

/// The layout: index.json -> one index ("win") -> ltsc2019 and ltsc2022 manifests.
void write_windows_layout(const Layout& l) {
    const std::string index = std::string(R"({"schemaVersion":2,"mediaType":")") + kIndexType + R"(","manifests":[)" +
                              windows_image(l, "10.0.17763.1879") + "," + windows_image(l, "10.0.20348.2340") + "]}";
    l.write("index.json", R"({"schemaVersion":2,"manifests":[{)" + l.blob(kIndexType, index) +
                              R"(,"annotations":{"org.opencontainers.image.ref.name":"win"}}]})");
}

util::Result<image::Archive> open_with(const Layout& l, const std::string& platform, bool is_explicit = true) {
    image::ResolveOptions opt;
    opt.platform = platform;
    opt.platform_explicit = is_explicit;
    return image::open_archive(l.path(), {}, opt);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(image_platform)

BOOST_AUTO_TEST_CASE(index_platforms_differing_by_os_version_are_told_apart) {
    Layout l;
    write_windows_layout(l);
    auto ar = open_with(l, "linux/amd64", false);
    BOOST_TEST_REQUIRE(ar.ok(), (ar.ok() ? "" : ar.error().to_string()));
    BOOST_TEST_REQUIRE(ar->images.size() == 1u);
    const auto& platforms = ar->images[0].platforms;
    BOOST_TEST_REQUIRE(platforms.size() == 2u);
    BOOST_TEST(platforms[0].platform == "windows(10.0.17763.1879)/amd64");
    BOOST_TEST(platforms[1].platform == "windows(10.0.20348.2340)/amd64");
    BOOST_TEST(ar->images[0].platform() == "windows(10.0.17763.1879)/amd64");  // the first, as none is linux/amd64
}

BOOST_AUTO_TEST_CASE(os_version_in_the_request_selects_one_windows_image) {
    Layout l;
    write_windows_layout(l);
    auto ltsc2022 = open_with(l, "windows(10.0.20348)/amd64");
    BOOST_TEST_REQUIRE(ltsc2022.ok(), (ltsc2022.ok() ? "" : ltsc2022.error().to_string()));
    BOOST_TEST_REQUIRE(ltsc2022->images.size() == 1u);
    BOOST_TEST(ltsc2022->images[0].config.os_version == "10.0.20348.2340");
    BOOST_TEST(ltsc2022->images[0].platform() == "windows(10.0.20348.2340)/amd64");

    auto ltsc2019 = open_with(l, "windows(10.0.17763)/amd64");
    BOOST_TEST_REQUIRE(ltsc2019.ok());
    BOOST_TEST(ltsc2019->images.at(0).config.os_version == "10.0.17763.1879");
    BOOST_TEST(ltsc2019->images.at(0).id != ltsc2022->images.at(0).id);
}

BOOST_AUTO_TEST_CASE(an_absent_platform_lists_the_present_ones_in_full) {
    Layout l;
    write_windows_layout(l);
    auto ar = open_with(l, "windows(10.0.14393)/amd64");  // ltsc2016: neither
    BOOST_TEST_REQUIRE(!ar.ok());
    BOOST_TEST((ar.error().kind == util::ErrorKind::usage));
    BOOST_TEST(ar.error().where == "index.json/manifests/0 (win)");
    BOOST_TEST(ar.error().what ==
               "platform windows(10.0.14393)/amd64 is not in the index; platforms present: "
               "windows(10.0.17763.1879)/amd64, windows(10.0.20348.2340)/amd64");
}

BOOST_AUTO_TEST_CASE(a_malformed_platform_is_a_usage_error) {
    Layout l;
    write_windows_layout(l);
    auto ar = open_with(l, "penguin");
    BOOST_TEST_REQUIRE(!ar.ok());
    BOOST_TEST((ar.error().kind == util::ErrorKind::usage));
    BOOST_TEST(ar.error().where == "platform \"penguin\"");
}

BOOST_AUTO_TEST_SUITE_END()
