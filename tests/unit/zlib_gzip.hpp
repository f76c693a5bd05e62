#pragma once
/// gzip with zlib's deflate, as an independent writer for the tests.

#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>
#include <zlib.h>

namespace tarsier::test {

inline std::string gzip(std::string_view data, int level = 6) {
    z_stream z{};
    BOOST_REQUIRE(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    BOOST_REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace tarsier::test
