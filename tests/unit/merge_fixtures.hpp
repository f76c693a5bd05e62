#pragma once
// A layer for the tests of the merged tree written out (extract, export): it replaces a
// file, whites out a file and a directory, puts a file where that directory was, and adds
// a file with a mode of its own. Its lower layers are the tests' own.

#include <string>

#include "tar_builder.hpp"

namespace tarsier::test {

inline std::string replacing_layer() {
    return TarBuilder()
        .file("etc/replaced.conf", "the top's version")
        .file("etc/.wh.deleted.conf", "")
        .file("opt/.wh.dir", "")
        .file("opt/dir", "now a file")
        .file("new/file.txt", "added by the top", 0600)
        .finish();
}

}  // namespace tarsier::test
