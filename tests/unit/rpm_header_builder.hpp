#pragma once
// Builds rpm header blobs from a readable spec for the tests and the fuzz seeds: the
// layout that rpm's headerExport writes (il, dl, 16-byte index entries of tag, type,
// offset, count, then the data, all big-endian), with no rpm code involved.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tarsier::test {

class RpmHeaderBuilder {
public:
    enum Type : std::uint32_t { kInt16 = 3, kInt32 = 4, kInt64 = 5, kString = 6, kBin = 7, kStringArray = 8, kI18n = 9 };

    RpmHeaderBuilder& string(std::uint32_t tag, std::string_view s, Type type = kString) {
        std::string data(s);
        data += '\0';
        return raw(tag, type, 1, data, 1);
    }
    RpmHeaderBuilder& strings(std::uint32_t tag, const std::vector<std::string>& v) {
        std::string data;
        for (const auto& s : v) data += s + '\0';
        return raw(tag, kStringArray, static_cast<std::uint32_t>(v.size()), data, 1);
    }
    RpmHeaderBuilder& int32s(std::uint32_t tag, const std::vector<std::uint32_t>& v) {
        std::string data;
        for (auto x : v) put(data, x, 4);
        return raw(tag, kInt32, static_cast<std::uint32_t>(v.size()), data, 4);
    }
    RpmHeaderBuilder& int16s(std::uint32_t tag, const std::vector<std::uint16_t>& v) {
        std::string data;
        for (auto x : v) put(data, x, 2);
        return raw(tag, kInt16, static_cast<std::uint32_t>(v.size()), data, 2);
    }
    /// An entry with any type, count and bytes (aligned to `align` in the data).
    RpmHeaderBuilder& raw(std::uint32_t tag, std::uint32_t type, std::uint32_t count, std::string_view bytes,
                          std::size_t align) {
        while (m_data.size() % align) m_data += '\0';
        m_index.push_back({tag, type, static_cast<std::uint32_t>(m_data.size()), count});
        m_data += bytes;
        return *this;
    }
    /// An entry whose offset and count are given as is (no data added).
    RpmHeaderBuilder& entry(std::uint32_t tag, std::uint32_t type, std::uint32_t offset, std::uint32_t count) {
        m_index.push_back({tag, type, offset, count});
        return *this;
    }

    [[nodiscard]] std::string blob() const {
        std::string out;
        put(out, static_cast<std::uint32_t>(m_index.size()), 4);
        put(out, static_cast<std::uint32_t>(m_data.size()), 4);
        for (const auto& e : m_index) {
            put(out, e.tag, 4);
            put(out, e.type, 4);
            put(out, e.offset, 4);
            put(out, e.count, 4);
        }
        return out + m_data;
    }

    static void put(std::string& out, std::uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    }

private:
    struct Entry {
        std::uint32_t tag, type, offset, count;
    };
    std::vector<Entry> m_index;
    std::string m_data;
};

}  // namespace tarsier::test
