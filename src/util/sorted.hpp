#pragma once
/// Lookups in sorted associative containers (std::set, std::map) walked in ascending
/// order, where each answer mostly lies at or just after the one before.

#include <iterator>

namespace tarsier::util {

/// `set.lower_bound(key)`, found without a search when it is `pos` or the element after
/// it; `key_of` gives an element's key. Every element before `pos` must sort before `key`.
template <typename Set, typename Iterator, typename Key, typename KeyOf>
Iterator lower_bound_from(Set& set, Iterator pos, const Key& key, KeyOf key_of) {
    if (pos == set.end() || !(key_of(*pos) < key)) return pos;
    if (auto next = std::next(pos); next == set.end() || !(key_of(*next) < key)) return next;
    return set.lower_bound(key);
}

}  // namespace tarsier::util
