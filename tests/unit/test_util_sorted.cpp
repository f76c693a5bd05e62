#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/sorted.hpp"
#include "xorshift.hpp"

using tarsier::util::lower_bound_from;

BOOST_AUTO_TEST_SUITE(util_sorted)

namespace {

std::string random_path(tarsier::test::XorShift& rng) {
    std::string s;
    const auto n = 1 + rng.next(6);
    for (std::size_t i = 0; i < n; ++i) s += "ab/-c"[rng.next(5)];
    return s;
}

}  // namespace

// From every position that a caller may give (every element before it sorts before the
// key), the answer is std::set::lower_bound's, whether it lies at the position, just
// after it, or further on.
BOOST_AUTO_TEST_CASE(from_any_valid_position_it_is_lower_bound) {
    tarsier::test::XorShift rng(7);
    std::set<std::string, std::less<>> set;
    while (set.size() < 60) set.insert(random_path(rng));
    std::vector<std::string> keys(set.begin(), set.end());
    for (int i = 0; i < 40; ++i) keys.push_back(random_path(rng));
    keys.push_back("");
    keys.push_back("zzz");
    const auto key_of = [](const std::string& s) -> std::string_view { return s; };
    std::size_t far = 0;
    for (const auto& key : keys) {
        const auto want = set.lower_bound(std::string_view(key));
        for (auto from = set.begin();; ++from) {
            BOOST_TEST((lower_bound_from(set, from, std::string_view(key), key_of) == want), key);
            if (from == want) break;  // past it, elements before `from` no longer sort before the key
        }
        far += std::distance(set.begin(), want) >= 2;
    }
    BOOST_TEST(far > 20u);  // the search beyond the next element ran
}

BOOST_AUTO_TEST_CASE(works_on_a_map_by_its_keys) {
    std::map<std::string_view, int, std::less<>> map{{"a", 1}, {"b", 2}, {"d", 4}};
    const auto key_of = [](const auto& kv) { return kv.first; };
    BOOST_TEST(lower_bound_from(map, map.begin(), std::string_view("c"), key_of)->second == 4);
    BOOST_TEST((lower_bound_from(map, map.find("b"), std::string_view("e"), key_of) == map.end()));
    BOOST_TEST((lower_bound_from(map, map.end(), std::string_view("e"), key_of) == map.end()));
}

BOOST_AUTO_TEST_SUITE_END()
