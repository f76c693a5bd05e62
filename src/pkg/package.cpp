#include "pkg/package.hpp"

namespace tarsier::pkg {

const char* ecosystem_name(Ecosystem e) {
    switch (e) {
    case Ecosystem::deb: return "deb";
    case Ecosystem::apk: return "apk";
    case Ecosystem::rpm: return "rpm";
    }
    return "deb";
}

const char* state_name(State s) {
    switch (s) {
    case State::installed: return "installed";
    case State::triggers_pending: return "triggers-pending";
    case State::triggers_awaited: return "triggers-awaited";
    case State::half_configured: return "half-configured";
    case State::unpacked: return "unpacked";
    case State::half_installed: return "half-installed";
    case State::config_files: return "config-files";
    case State::not_installed: return "not-installed";
    }
    return "installed";
}

bool counts_as_installed(State s) {
    return s == State::installed || s == State::triggers_pending || s == State::triggers_awaited;
}

std::string Package::key() const {
    std::string k = ecosystem_name(ecosystem);
    k += '/';
    k += name;
    if (!arch.empty()) {
        k += ':';
        k += arch;
    }
    return k;
}

std::string Package::full_version() const {
    if (ecosystem != Ecosystem::rpm || !epoch) return version;
    return std::to_string(*epoch) + ":" + version;
}

}  // namespace tarsier::pkg
