#include "pkg/package.hpp"

#include <algorithm>

namespace tarsier::pkg {

OwnedFile OwnedFiles::operator[](std::size_t i) const {
    const Item& item = m_items[i];
    const std::string& paths = item.shared ? *m_sources.front() : m_text;
    const std::size_t digest_at = (std::size_t{item.digest_at_high} << 32) | item.digest_at_low;
    return OwnedFile{std::string_view(paths).substr(item.path_at, item.path_size),
                     std::string_view(m_text).substr(digest_at, item.digest_size), item.directory != 0};
}

void OwnedFiles::reserve(std::size_t files, std::size_t text) {
    m_items.reserve(m_items.size() + files);
    m_text.reserve(m_text.size() + text);
}

void OwnedFiles::add(std::string_view path, std::string_view digest, bool directory) {
    Item item;
    item.path_at = m_text.size();
    item.path_size = static_cast<std::uint32_t>(path.size());
    item.directory = directory;
    m_text += path;
    m_items.push_back(item);
    set_last_digest(digest);
}

std::size_t OwnedFiles::share(std::shared_ptr<const std::string> bytes) {
    m_sources.push_back(std::move(bytes));
    return m_sources.size() - 1;
}

void OwnedFiles::add_shared(std::size_t source, std::string_view path, std::string_view digest, bool directory) {
    if (source != 0) return add(path, digest, directory);  // an Item points into the first source only
    Item item;
    item.shared = 1;
    item.path_at = static_cast<std::uint64_t>(path.data() - m_sources.front()->data());
    item.path_size = static_cast<std::uint32_t>(path.size());
    item.directory = directory;
    m_items.push_back(item);
    set_last_digest(digest);
}

void OwnedFiles::set_last_digest(std::string_view digest) {
    Item& item = m_items.back();
    const std::size_t at = m_text.size();
    item.digest_at_low = static_cast<std::uint32_t>(at);
    item.digest_at_high = at >> 32;
    item.digest_size = std::min<std::size_t>(digest.size(), UINT16_MAX);
    m_text += digest.substr(0, item.digest_size);
}

bool operator==(const OwnedFiles& a, const OwnedFiles& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

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
