// The names archives carry, shown as Docker shows them: image/references.hpp goes through
// oci::Reference (distribution/reference's FamiliarName), the one normaliser.
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "image/references.hpp"

using namespace tarsier;

BOOST_AUTO_TEST_SUITE(image_references)

BOOST_AUTO_TEST_CASE(familiar_repository_follows_distribution_reference) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"docker.io/library/nginx", "nginx"},
        {"index.docker.io/library/nginx", "nginx"},
        {"docker.io/nginx", "nginx"},
        {"nginx", "nginx"},
        {"library/nginx", "nginx"},
        {"docker.io/library/a/b", "library/a/b"},
        {"docker.io/user/app", "user/app"},
        {"localhost:5000/x", "localhost:5000/x"},
        {"ghcr.io/org/app", "ghcr.io/org/app"},
        // Only index.docker.io is Docker Hub's old name; registry-1 is a registry like another.
        {"registry-1.docker.io/library/x", "registry-1.docker.io/library/x"},
        // What the grammar refuses is shown as written.
        {"docker.io/library/UPPER", "docker.io/library/UPPER"},
        {"", ""},
    };
    for (const auto& [name, familiar] : cases) BOOST_TEST(image::familiar_repository(name) == familiar, name);
}

BOOST_AUTO_TEST_CASE(split_reference_keeps_a_missing_tag_empty) {
    auto rt = image::split_reference("docker.io/library/nginx:1.25");
    BOOST_TEST(rt.repository == "nginx");
    BOOST_TEST(rt.tag == "1.25");
    rt = image::split_reference("nginx");
    BOOST_TEST(rt.repository == "nginx");
    BOOST_TEST(rt.tag == "");  // Reference::parse would add "latest"
    rt = image::split_reference("nginx:latest");
    BOOST_TEST(rt.tag == "latest");
    rt = image::split_reference("localhost:5000/x");
    BOOST_TEST(rt.repository == "localhost:5000/x");
    BOOST_TEST(rt.tag == "");
    rt = image::split_reference("localhost:5000/x:2@sha256:" + std::string(64, 'a'));
    BOOST_TEST(rt.repository == "localhost:5000/x");
    BOOST_TEST(rt.tag == "2");
    rt = image::split_reference("docker.io/library/hello-world@sha256:" + std::string(64, 'b'));
    BOOST_TEST(rt.repository == "hello-world");
    BOOST_TEST(rt.tag == "");
    rt = image::split_reference("Bad Name:v1");  // refused by the grammar: split as written
    BOOST_TEST(rt.repository == "Bad Name");
    BOOST_TEST(rt.tag == "v1");
}

BOOST_AUTO_TEST_CASE(descriptor_reference_reads_the_annotations) {
    oci::Descriptor d;
    BOOST_TEST(!image::descriptor_reference(d).has_value());
    d.annotations["org.opencontainers.image.ref.name"] = "1.0";
    BOOST_TEST(image::descriptor_reference(d)->repository == "");
    BOOST_TEST(image::descriptor_reference(d)->tag == "1.0");
    d.annotations["org.opencontainers.image.ref.name"] = "sample:latest";
    BOOST_TEST(image::descriptor_reference(d)->str() == "sample:latest");
    d.annotations["io.containerd.image.name"] = "docker.io/library/hello-world:latest";
    BOOST_TEST(image::descriptor_reference(d)->str() == "hello-world:latest");
}

BOOST_AUTO_TEST_SUITE_END()
