#pragma once
// Runs a shell command for a test that asks an independent tool (rpm, tar) for the answer.

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <utility>

namespace tarsier::test {

/// The command's stdout, and whether it exited 0.
inline std::pair<std::string, bool> run_command(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    BOOST_REQUIRE_MESSAGE(p, "cannot run " << command);
    std::array<char, 4096> buf{};
    while (const std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    return {out, ::pclose(p) == 0};
}

}  // namespace tarsier::test
