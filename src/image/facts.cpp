#include "image/facts.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace tarsier::image {

std::vector<std::size_t> layers_of(const Image& image) {
    std::vector<std::size_t> out;
    for (const auto& l : image.layers) out.push_back(l.layer);
    return out;
}

std::vector<LayerFacts> layer_facts(const Archive& archive, const std::vector<std::size_t>& layers,
                                    const archive::ScanOptions& options, unsigned jobs) {
    std::vector<LayerFacts> out(layers.size());
    std::vector<const archive::Entry*> entries;
    for (std::size_t l : layers) {
        const Layer& layer = archive.layers.at(l);
        if (layer.entry.empty()) continue;
        if (auto e = archive.container->find(layer.entry); e && *e) entries.push_back(*e);
    }
    archive.container->expect_scans(entries);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (;;) {
            std::size_t i = next.fetch_add(1);
            if (i >= layers.size()) return;
            const Layer& layer = archive.layers.at(layers[i]);
            if (layer.entry.empty()) continue;
            out[i].present = true;
            auto entry = archive.container->find(layer.entry);
            if (!entry || !*entry) {
                out[i].error = entry ? util::make_error(util::ErrorKind::malformed, layer.entry, "entry vanished") : entry.error();
                continue;
            }
            auto stats = archive.container->blob_stats(**entry, options);
            if (stats) out[i].stats = std::move(*stats);
            else out[i].error = stats.error();
        }
    };
    // Largest blobs first would balance better; entries are few, so plain order is fine.
    unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(layers.size())));
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < n; ++t) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    return out;
}

}  // namespace tarsier::image
