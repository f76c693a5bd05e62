// apk's installed database (lib/apk/db/installed, apk-tools' "apk v2 index" text form):
// stanzas of one-letter "X:value" lines separated by blank lines. P name, V version,
// A arch, o origin, L license, I installed size, T description, m maintainer; F: a
// directory, R: a file in the last F: directory, Z: the checksum of the last R: file
// ("Q1" + base64 of its SHA-1).
#include <charconv>
#include <optional>

#include "digest/base64.hpp"
#include "digest/digest.hpp"
#include "pkg/inventory.hpp"
#include "pkg/readers.hpp"
#include "pkg/text_db.hpp"
#include "util/path.hpp"
#include "util/strings.hpp"

namespace tarsier::pkg {

namespace {

using util::ErrorKind;

bool is_hex(std::string_view s) {
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return !s.empty();
}

/// apk's checksum text as "alg:hex": "Q1" + base64 (SHA-1, or by its length MD5 or
/// SHA-256), or plain hex (32 digits MD5, 40 SHA-1); nullopt when it is neither.
std::optional<std::string> apk_checksum(std::string_view z) {
    if (z.size() > 2 && z[0] == 'Q' && z[1] == '1') {
        const auto raw = digest::base64_decode(z.substr(2));
        if (!raw) return std::nullopt;
        if (raw->size() == 20) return "sha1:" + digest::hex(*raw);
        if (raw->size() == 16) return "md5:" + digest::hex(*raw);
        if (raw->size() == 32) return "sha256:" + digest::hex(*raw);
        return std::nullopt;
    }
    if (is_hex(z) && z.size() == 32) return "md5:" + std::string(z);
    if (is_hex(z) && z.size() == 40) return "sha1:" + std::string(z);
    return std::nullopt;
}

std::optional<Package> parse_stanza(const detail::Stanza& stanza, std::string_view file, detail::ProblemLog& log,
                                    detail::FileBudget& budget) {
    Package p;
    p.ecosystem = Ecosystem::apk;
    p.db_file = std::string(file);
    bool have_name = false, have_version = false;
    std::string dir;            // the last F: directory
    bool last_is_file = false;  // whether the last owned path came from R:
    detail::Lines lines(stanza.text, stanza.first_line);
    std::string_view line;
    while (lines.next(line)) {
        if (detail::too_long(line, lines.number(), log)) return std::nullopt;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() < 2 || line[1] != ':') {
            log.add(ErrorKind::malformed, lines.number(), "not an \"X:value\" line; its record is skipped");
            return std::nullopt;
        }
        const std::string_view value = line.substr(2);
        switch (line[0]) {
        case 'P': p.name = std::string(value); have_name = !value.empty(); break;
        case 'V': p.version = std::string(value); have_version = !value.empty(); break;
        case 'A': p.arch = std::string(value); break;
        case 'o': p.source_name = std::string(value); break;
        case 'L': p.license = std::string(value); break;
        case 'T': p.description = std::string(value); break;
        case 'm': p.maintainer = std::string(value); break;
        case 'I': {
            std::uint64_t size = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), size);
            if (ec == std::errc() && end == value.data() + value.size()) {
                p.installed_size = size;
            } else {
                log.add(ErrorKind::malformed, lines.number(), "I: (installed size) is not a number");
            }
            break;
        }
        case 'F':
        case 'R': {
            const bool is_dir = line[0] == 'F';
            auto path = util::clean_path_in_root(is_dir || dir.empty() ? std::string(value) : dir + "/" + std::string(value));
            if (is_dir) dir = path.value_or(std::string());
            last_is_file = false;
            if (!path || path->empty()) break;
            if (!budget.take(log, lines.number())) break;
            p.files.add(*path, {}, is_dir);
            last_is_file = !is_dir;
            break;
        }
        case 'Z':
            if (!last_is_file) break;  // apk writes Z: only after R:
            if (auto sum = apk_checksum(value)) {
                p.files.set_last_digest(*sum);
            } else {
                log.add(ErrorKind::malformed, lines.number(), "Z: checksum \"" + util::escape_for_display(value) + "\" is not understood");
            }
            break;
        default: break;  // other fields (C, S, U, D, p, r, i, t, c, M, a, ...) are not kept
        }
    }
    if (!have_name) {
        log.add(ErrorKind::malformed, stanza.first_line, "a record with no P: (name) field is skipped");
        return std::nullopt;
    }
    if (!have_version) {
        log.add(ErrorKind::malformed, stanza.first_line,
                "package " + util::escape_for_display(p.name) + " has no V: (version) field; its record is skipped");
        return std::nullopt;
    }
    return p;
}

}  // namespace

util::Result<std::vector<Package>> parse_apk_installed(std::string_view bytes, std::string_view file,
                                                       std::vector<Problem>& problems) {
    if (bytes.size() > kMaxDatabaseBytes) {
        return util::Failure{util::Error{ErrorKind::limit, std::string(file), {}, "larger than 512 MiB; not read"}};
    }
    std::vector<Package> packages;
    detail::ProblemLog log(problems, file);
    detail::FileBudget budget;
    detail::for_each_stanza(bytes, [&](const detail::Stanza& stanza) {
        if (!detail::another_package(packages.size(), log, stanza.first_line)) return false;
        if (auto p = parse_stanza(stanza, file, log, budget)) packages.push_back(std::move(*p));
        return true;
    });
    return packages;
}

}  // namespace tarsier::pkg
