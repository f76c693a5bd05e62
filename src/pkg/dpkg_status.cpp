// dpkg status files (deb-status(5)): stanzas of "Field: value" lines separated by blank
// lines, continuation lines starting with a space or a tab.
#include <charconv>
#include <optional>

#include "pkg/inventory.hpp"
#include "pkg/readers.hpp"
#include "pkg/text_db.hpp"
#include "util/strings.hpp"

namespace tarsier::pkg {

namespace {

using detail::iequals;
using util::ErrorKind;

std::optional<State> state_from(std::string_view word) {
    static constexpr std::pair<std::string_view, State> kStates[] = {
        {"installed", State::installed},
        {"triggers-pending", State::triggers_pending},
        {"triggers-awaited", State::triggers_awaited},
        {"half-configured", State::half_configured},
        {"unpacked", State::unpacked},
        {"half-installed", State::half_installed},
        {"config-files", State::config_files},
        {"not-installed", State::not_installed},
    };
    for (const auto& [name, state] : kStates) {
        if (word == name) return state;
    }
    return std::nullopt;
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const auto start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

/// "name (version)" or "name".
void set_source(Package& p, std::string_view source) {
    const auto open = source.find('(');
    if (open == std::string_view::npos) {
        p.source_name = std::string(util::trim(source));
        p.source_version = p.version;
        return;
    }
    p.source_name = std::string(util::trim(source.substr(0, open)));
    auto version = source.substr(open + 1);
    const auto close = version.find(')');
    if (close != std::string_view::npos) version = version.substr(0, close);
    p.source_version = std::string(util::trim(version));
}

std::optional<std::uint64_t> kib_to_bytes(std::string_view s) {
    std::uint64_t kib = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), kib);
    if (ec != std::errc() || end != s.data() + s.size() || kib > (UINT64_MAX >> 10)) return std::nullopt;
    return kib << 10;
}

/// One stanza, or nullopt (with a problem) when it cannot be a package record.
std::optional<Package> parse_stanza(const detail::Stanza& stanza, std::string_view file,
                                    detail::ProblemLog& log, detail::MissingStatus missing) {
    Package p;
    p.ecosystem = Ecosystem::deb;
    p.db_file = std::string(file);
    bool have_package = false, have_status = false, have_source = false;
    std::string_view source;
    detail::Lines lines(stanza.text, stanza.first_line);
    std::string_view line;
    while (lines.next(line)) {
        if (detail::too_long(line, lines.number(), log)) return std::nullopt;
        if (line.front() == ' ' || line.front() == '\t') {
            if (lines.number() == stanza.first_line) {
                log.add(ErrorKind::malformed, lines.number(), "a continuation line before any field; its record is skipped");
                return std::nullopt;
            }
            continue;  // the rest of a multi-line field (Description, Conffiles, ...)
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) {
            log.add(ErrorKind::malformed, lines.number(), "not a \"Field: value\" line; its record is skipped");
            return std::nullopt;
        }
        const auto name = line.substr(0, colon);
        const auto value = util::trim(line.substr(colon + 1));
        if (iequals(name, "Package")) {
            p.name = std::string(value);
            have_package = !value.empty();
        } else if (iequals(name, "Status")) {
            const auto w = words(value);
            const auto state = w.size() == 3 ? state_from(w[2]) : std::nullopt;
            if (!state) {
                log.add(ErrorKind::malformed, lines.number(),
                        "Status \"" + util::escape_for_display(value) + "\" is not \"want flag state\"; its record is skipped");
                return std::nullopt;
            }
            p.state = *state;
            have_status = true;
        } else if (iequals(name, "Version")) {
            p.version = std::string(value);
        } else if (iequals(name, "Architecture")) {
            p.arch = std::string(value);
        } else if (iequals(name, "Source")) {
            source = value;
            have_source = true;
        } else if (iequals(name, "Installed-Size")) {
            p.installed_size = kib_to_bytes(value);
            if (!p.installed_size) {
                log.add(ErrorKind::malformed, lines.number(),
                        "Installed-Size \"" + util::escape_for_display(value) + "\" is not a number of KiB");
            }
        } else if (iequals(name, "Maintainer")) {
            p.maintainer = std::string(value);
        } else if (iequals(name, "Description")) {
            p.description = std::string(value);
        }
    }
    if (!have_package) {
        log.add(ErrorKind::malformed, stanza.first_line, "a record with no Package field is skipped");
        return std::nullopt;
    }
    if (!have_status && missing == detail::MissingStatus::problem) {
        log.add(ErrorKind::malformed, stanza.first_line,
                "package " + util::escape_for_display(p.name) + " has no Status field; its record is skipped");
        return std::nullopt;
    }
    if (have_source) {
        set_source(p, source);
    } else {
        p.source_name = p.name;
        p.source_version = p.version;
    }
    return p;
}

}  // namespace

namespace detail {

std::vector<Package> parse_dpkg_stanzas(std::string_view bytes, std::string_view file,
                                        std::vector<Problem>& problems, MissingStatus missing) {
    std::vector<Package> packages;
    ProblemLog log(problems, file);
    for_each_stanza(bytes, [&](const Stanza& stanza) {
        if (!another_package(packages.size(), log, stanza.first_line)) return false;
        if (auto p = parse_stanza(stanza, file, log, missing)) packages.push_back(std::move(*p));
        return true;
    });
    return packages;
}

}  // namespace detail

util::Result<std::vector<Package>> parse_dpkg_status(std::string_view bytes, std::string_view file,
                                                     std::vector<Problem>& problems) {
    if (bytes.size() > kMaxDatabaseBytes) {
        return util::Failure{util::Error{ErrorKind::limit, std::string(file), {}, "larger than 512 MiB; not read"}};
    }
    return detail::parse_dpkg_stanzas(bytes, file, problems, detail::MissingStatus::installed);
}

}  // namespace tarsier::pkg
