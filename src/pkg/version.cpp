#include "pkg/version.hpp"

#include "pkg/inventory.hpp"

namespace tarsier::pkg {

int compare_versions(Ecosystem e, std::string_view a, std::string_view b) {
    switch (e) {
    case Ecosystem::deb: return compare_deb_versions(a, b);
    case Ecosystem::apk: return compare_apk_versions(a, b);
    case Ecosystem::rpm: return compare_rpm_versions(a, b);
    }
    return 0;
}

}  // namespace tarsier::pkg
