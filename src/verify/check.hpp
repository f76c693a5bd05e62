#pragma once
/// The results of `tarsier verify`: one Check per fact verified, each with a stable
/// identifier, the subject it is about, and expected and actual values.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tarsier::verify {

/// The outcome of one check.
enum class Verdict {
    pass,              ///< the fact holds
    fail,              ///< the fact does not hold
    warn,              ///< questionable but allowed (fails only with --strict)
    unverifiable,      ///< a digest algorithm tarsier cannot compute (valid grammar)
    absent_by_design,  ///< a referenced blob that is allowed to be missing
};

/// "pass", "fail", "warn", "unverifiable", "absent".
std::string_view to_string(Verdict v);

/// One line saying what the check `id` verifies (man/tarsier-verify.1); a generic line
/// for ids without their own.
std::string_view check_summary(std::string_view id);

/// One verified fact.
struct Check {
    std::string id;        ///< stable identifier, e.g. "blob-digest", "layer-diff-id"
    std::string subject;   ///< what it is about: "blob sha256:…", "layer 2 of image …"
    Verdict verdict = Verdict::pass;
    std::string expected;  ///< what the archive declares ("" when not applicable)
    std::string actual;    ///< what tarsier found
    std::string message;   ///< one line for humans
    /// Layers and blobs: sizes shown in the text report.
    std::optional<std::uint64_t> size;
    std::optional<std::uint64_t> uncompressed_size;
    std::string compression;
};

/// The verification of one archive.
struct Report {
    std::string archive;
    std::string format;        ///< image::to_string of the archive format, "" when unknown
    std::vector<Check> checks; ///< in a stable order: archive, documents, blobs, images
    bool strict = false;

    /// Whether the archive passes: no failure, and with strict no warning.
    [[nodiscard]] bool ok() const;
    [[nodiscard]] std::size_t count(Verdict v) const;
};

}  // namespace tarsier::verify
