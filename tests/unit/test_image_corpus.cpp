// Resolution of real archives from ../shared/corpus/real. Expected values come from the
// corpus's SOURCES.md and from sha256sum / tar run over the files, never from tarsier.
#include <boost/test/unit_test.hpp>

#include <string>

#include "image/resolver.hpp"
#include "image/select.hpp"

using namespace tarsier;

namespace {

const std::string kCorpus = TARSIER_SOURCE_ROOT "/../shared/corpus/real/";

image::Archive open(const std::string& rel, image::ResolveOptions opt = {}) {
    auto ar = image::open_archive(kCorpus + rel, {}, opt);
    if (!ar) BOOST_FAIL(ar.error().to_string());
    return std::move(*ar);
}

bool has_finding(const image::Archive& ar, const std::string& code) {
    for (const auto& f : ar.findings)
        if (f.code == code) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(image_corpus)

BOOST_AUTO_TEST_CASE(containerd_export_has_one_platform_present_of_eleven) {
    auto ar = open("oras-go/content/oci/testdata/hello-world.tar");
    BOOST_TEST(image::to_string(ar.format) == "containerd-export");
    BOOST_TEST_REQUIRE(ar.images.size() == 1u);
    const auto& img = ar.images[0];
    BOOST_TEST(img.platform() == "linux/amd64");
    // sha256sum of blobs/sha256/feb5d9… is its own name: the config digest is the ID.
    BOOST_TEST(img.id == "sha256:feb5d9fea6a5e9606aa995e879d862b825965ba48de054caab5ef356dc6b3412");
    BOOST_TEST(img.index_digest == "sha256:faa03e786c97f07ef34423fccceeec2398ec8a5759259f94d99078f264e9d7af");
    BOOST_TEST(img.platforms.size() == 11u);
    std::size_t present = 0;
    for (const auto& p : img.platforms) present += p.present ? 1 : 0;
    BOOST_TEST(present == 1u);
    BOOST_TEST(img.references.at(0).str() == "hello-world:latest");
    BOOST_TEST(!has_finding(ar, "layer-absent"));
}

BOOST_AUTO_TEST_CASE(containerd_export_refuses_an_absent_platform_by_name) {
    image::ResolveOptions opt;
    opt.platform = "linux/arm64";
    opt.platform_explicit = true;
    auto ar = image::open_archive(kCorpus + "oras-go/content/oci/testdata/hello-world.tar", {}, opt);
    BOOST_TEST_REQUIRE(!ar.ok());
    BOOST_TEST(ar.error().what.find("blobs are not in the archive") != std::string::npos);
    BOOST_TEST(ar.error().what.find("linux/amd64") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(prefixed_names_read_like_plain_ones) {
    auto a = open("oras-go/content/oci/testdata/hello-world.tar");
    auto b = open("oras-go/content/oci/testdata/hello-world-prefixed-path.tar");
    BOOST_TEST(a.images.at(0).id == b.images.at(0).id);
    BOOST_TEST(a.images.at(0).manifest_digest == b.images.at(0).manifest_digest);
}

BOOST_AUTO_TEST_CASE(legacy_symlinked_layer_is_one_shared_object) {
    auto ar = open("ggcr/pkg/v1/tarball/testdata/test_link.tar");
    BOOST_TEST(image::to_string(ar.format) == "docker-legacy");
    BOOST_TEST_REQUIRE(ar.images.size() == 2u);
    // b159…/layer.tar -> ../6e77…/layer.tar (tar -tvf): image 2's base is image 1's layer.
    BOOST_TEST(ar.images[1].layers.at(0).layer == ar.images[0].layers.at(0).layer);
    BOOST_TEST(ar.layers.size() == 2u);
    BOOST_TEST(ar.images[1].parent == ar.images[0].id);
}

BOOST_AUTO_TEST_CASE(docker_25_save_with_null_manifests_is_read) {
    auto ar = open("ggcr/pkg/v1/tarball/testdata/hello-world-v25.tar");
    BOOST_TEST(image::to_string(ar.format) == "docker-oci");
    BOOST_TEST_REQUIRE(ar.images.size() == 1u);
    BOOST_TEST(ar.images[0].references.empty());
    BOOST_TEST(ar.images[0].platform() == "linux/arm64");  // the config has no variant
    BOOST_TEST(ar.layers.at(0).media_type == "application/vnd.oci.image.layer.v1.tar");
}

BOOST_AUTO_TEST_CASE(foreign_layer_source_is_not_the_stored_blob) {
    auto ar = open("ggcr/pkg/v1/tarball/testdata/test_bundle.tar");
    BOOST_TEST_REQUIRE(ar.images.size() == 2u);
    // LayerSources names digest 321460…, which is not in the archive; the stored layer is
    // the uncompressed tar, so the LayerSources descriptor must not be attributed to it.
    for (const auto& l : ar.layers) BOOST_TEST(l.digest != "sha256:321460fa87fd42433950b42d04b7aff249f4ed960d43404a9f699886906cc9d3");
    BOOST_TEST(has_finding(ar, "reference-without-tag"));
}

BOOST_AUTO_TEST_CASE(nested_index_chooses_amd64) {
    auto ar = open("stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir");
    BOOST_TEST_REQUIRE(ar.images.size() == 1u);
    BOOST_TEST(ar.images[0].platform() == "linux/amd64");
    image::ResolveOptions opt;
    opt.platform = "linux/arm64";
    opt.platform_explicit = true;
    auto arm = open("stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir", opt);
    BOOST_TEST(arm.images.at(0).platform().starts_with("linux/arm64"));
}

// `--platform arm64` is linux/arm64, as `docker --platform arm64` is on a Linux host. The
// nested index's arm64 manifest: SOURCES.md (2 manifests, amd64 and arm64).
BOOST_AUTO_TEST_CASE(bare_architecture_means_linux) {
    image::ResolveOptions opt;
    opt.platform = "arm64";
    opt.platform_explicit = true;
    auto arm = open("stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir", opt);
    BOOST_TEST_REQUIRE(arm.images.size() == 1u);
    BOOST_TEST(arm.images[0].config.os == "linux");
    BOOST_TEST(arm.images[0].config.architecture == "arm64");
    opt.platform = "aarch64";
    auto same = open("stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir", opt);
    BOOST_TEST(same.images.at(0).manifest_digest == arm.images[0].manifest_digest);
    opt.platform = "linux/arm64";
    auto full = open("stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir", opt);
    BOOST_TEST(full.images.at(0).manifest_digest == arm.images[0].manifest_digest);
}

// regclient's testrepo: b1-b3 and v3 have linux/arm/v6, v1 (index.json/manifests/3) and v2
// (manifests/4) do not (their index blobs, read with jq). Selecting v2 with --platform
// linux/arm/v6 names v2's entry and its platforms, not another image or "no image matches".
BOOST_AUTO_TEST_CASE(platform_absent_from_one_image_of_a_layout_names_that_image) {
    image::ResolveOptions opt;
    opt.platform = "linux/arm/v6";
    opt.platform_explicit = true;
    auto ar = open("regclient/testdata/testrepo", opt);
    // The referrer indexes (artifacts, children without a platform) are left out too.
    BOOST_TEST(ar.images.size() == 4u);  // b1, b2, b3, v3
    auto v2 = image::select_image(ar, ":v2");
    BOOST_TEST_REQUIRE(!v2.ok());
    BOOST_TEST((v2.error().kind == util::ErrorKind::usage));
    BOOST_TEST(v2.error().where == "index.json/manifests/4 (v2)");
    BOOST_TEST(v2.error().what ==
               "platform linux/arm/v6 is not in the index; platforms present: linux/amd64, linux/arm64, linux/arm/v7");
    auto v1 = image::select_image(ar, ":v1");
    BOOST_TEST_REQUIRE(!v1.ok());
    BOOST_TEST(v1.error().where == "index.json/manifests/3 (v1)");
    BOOST_TEST(v1.error().what.find("platforms present: linux/amd64, linux/arm64") != std::string::npos);
    // An image that has the platform is still chosen.
    auto b1 = image::select_image(ar, ":b1");
    BOOST_TEST_REQUIRE(b1.ok(), (b1.ok() ? "" : b1.error().to_string()));
    BOOST_TEST((*b1)->platform() == "linux/arm/v6");
    // Without --platform nothing is left out.
    auto all = open("regclient/testdata/testrepo");
    BOOST_TEST(all.platform_absent.empty());
    BOOST_TEST(image::select_image(all, ":v2").ok());
}

BOOST_AUTO_TEST_CASE(one_manifest_under_two_names_is_one_image) {
    auto ar = open("stereoscope/pkg/image/oci/testdata/valid_oci_dir");
    BOOST_TEST_REQUIRE(ar.images.size() == 1u);
    BOOST_TEST(ar.images[0].references.size() == 2u);
}

BOOST_AUTO_TEST_CASE(pre_1_10_archive_follows_the_parent_chain) {
    auto ar = open("moby/integration-cli/testdata/emptyLayer.tar");
    BOOST_TEST(image::to_string(ar.format) == "docker-v1");
    BOOST_TEST_REQUIRE(ar.images.size() == 1u);
    BOOST_TEST(ar.images[0].layers.size() == 3u);
}

BOOST_AUTO_TEST_CASE(null_manifest_fails_naming_manifest_json) {
    auto ar = image::open_archive(kCorpus + "ggcr/pkg/v1/tarball/testdata/null_manifest.tar", {}, {});
    BOOST_TEST_REQUIRE(!ar.ok());
    BOOST_TEST(ar.error().where == "manifest.json");
}

BOOST_AUTO_TEST_CASE(index_entries_that_are_no_images_are_counted_in_one_note) {
    // regclient's testrepo (SOURCES.md, counted with a Python walk of its JSON): 2
    // attestation manifests (unknown/unknown) under v1, and top-level artifacts whose config
    // is application/vnd.oci.empty.v1+json.
    auto ar = open("regclient/testdata/testrepo");
    const image::Finding* note = nullptr;
    for (const auto& f : ar.findings)
        if (f.code == "not-images") note = &f;
    BOOST_TEST_REQUIRE(note != nullptr);
    BOOST_TEST_MESSAGE(note->message);
    BOOST_TEST(note->severity == "info");
    BOOST_TEST(note->where == "index.json");
    BOOST_TEST(note->message.find("2 attestation manifest(s) (platform unknown/unknown)") != std::string::npos);
    BOOST_TEST(note->message.find("artifact(s) with config application/vnd.oci.empty.v1+json") != std::string::npos);
    std::size_t notes = 0;
    for (const auto& f : ar.findings) notes += f.code == "not-images" ? 1 : 0;
    BOOST_TEST(notes == 1u);
    // An archive of images only has no such note.
    BOOST_TEST(!has_finding(open("stereoscope/pkg/image/oci/testdata/multiplatform_oci_dir"), "not-images"));
}

BOOST_AUTO_TEST_CASE(a_raw_layer_tar_is_one_bare_layer_image) {
    for (const char* rel : {"regclient/testdata/layer-wh.tar", "ggcr/pkg/crane/testdata/content.tar.zst"}) {
        BOOST_TEST_CONTEXT(rel) {
            auto ar = open(rel);
            BOOST_TEST(image::to_string(ar.format) == "bare-layer");
            BOOST_TEST_REQUIRE(ar.images.size() == 1u);
            BOOST_TEST(ar.images[0].layers.size() == 1u);
            BOOST_TEST(ar.images[0].id.empty());
            BOOST_TEST(ar.images[0].config_text.empty());
            BOOST_TEST(has_finding(ar, "bare-layer"));
            BOOST_TEST(ar.layers.at(ar.images[0].layers[0].layer).entry == kCorpus + rel);
        }
    }
}

BOOST_AUTO_TEST_CASE(selection_by_reference_id_and_position) {
    auto ar = open("ggcr/pkg/v1/tarball/testdata/test_link.tar");
    auto none = image::select_image(ar, "");
    BOOST_TEST_REQUIRE(!none.ok());
    BOOST_TEST(static_cast<int>(none.error().kind) == static_cast<int>(util::ErrorKind::usage));
    BOOST_TEST(none.error().what.find("@1") != std::string::npos);
    BOOST_TEST((*image::select_image(ar, "bazel/v1/tarball:test_image_3"))->id == ar.images[1].id);
    BOOST_TEST((*image::select_image(ar, "docker.io/bazel/v1/tarball:test_image_1"))->id == ar.images[0].id);
    BOOST_TEST((*image::select_image(ar, "6e0b05"))->id == ar.images[0].id);
    BOOST_TEST((*image::select_image(ar, "sha256:d4c9ad"))->id == ar.images[1].id);
    BOOST_TEST((*image::select_image(ar, "@1"))->id == ar.images[1].id);
    BOOST_TEST(!image::select_image(ar, "@2").ok());
    BOOST_TEST(!image::select_image(ar, "bazel/v1/tarball").ok());  // means :latest, absent
}

BOOST_AUTO_TEST_SUITE_END()

#include "archive/ustar_walk.hpp"
#include "io/file_source.hpp"

BOOST_AUTO_TEST_SUITE(image_corpus_walkers)

// The lean header walker must give libarchive's answer on every uncompressed layer of
// every real archive where it answers at all.
BOOST_AUTO_TEST_CASE(lean_walker_agrees_with_libarchive_on_real_layers) {
    const char* archives[] = {
        "dive/.data/test-docker-image.tar",
        "ggcr/pkg/v1/tarball/testdata/test_link.tar",
        "ggcr/pkg/v1/tarball/testdata/test_bundle.tar",
        "ggcr/pkg/v1/mutate/testdata/whiteout_image.tar",
        "ggcr/pkg/v1/mutate/testdata/overwritten_file.tar",
        "containers-image/docker/archive/fixtures/almostempty.tar",
        "ggcr/pkg/v1/tarball/testdata/hello-world-v25.tar",
        "dive/.data/test-oci-uncompressed-image.tar",
        "moby/integration-cli/testdata/emptyLayer.tar",
    };
    std::size_t compared = 0;
    for (const char* rel : archives) {
        auto ar = open(rel);
        auto file = io::FileSource::open(kCorpus + rel);
        BOOST_TEST_REQUIRE(file.ok());
        for (const auto& layer : ar.layers) {
            if (layer.entry.empty()) continue;
            const archive::Entry* e = *ar.container->find(layer.entry);
            auto slow = archive::walk_tar_headers(**file, e->offset, e->size, {});
            auto fast = archive::walk_plain_ustar(**file, e->offset, e->size, {});
            BOOST_TEST_REQUIRE(slow.ok());
            if (!fast) continue;
            BOOST_TEST_REQUIRE(fast->ok());
            BOOST_TEST_CONTEXT(rel << " " << layer.entry) {
                BOOST_TEST((*fast)->content_size == slow->content_size);
                BOOST_TEST((*fast)->entry_count == slow->entry_count);
            }
            ++compared;
        }
    }
    BOOST_TEST(compared >= 20u);
}

BOOST_AUTO_TEST_SUITE_END()
