#include "cli/progress_line.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "report/progress_view.hpp"

namespace tarsier::cli {

namespace {

/// Guards `g_drawn` and every write of the line; shared with erase_progress_line.
std::mutex g_mutex;
bool g_drawn = false;

void erase_locked() {
    if (!g_drawn) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    g_drawn = false;
}

std::size_t terminal_width() {
    winsize ws{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) return ws.ws_col - 1u;
    return 79;
}

}  // namespace

bool progress_wanted(bool no_progress, std::string_view format) {
    if (no_progress || !(format.empty() || format == "text")) return false;
    const char* env = std::getenv("TARSIER_PROGRESS");
    if (env && std::string_view(env) == "0") return false;
    return isatty(STDERR_FILENO) == 1;
}

struct ProgressLine::Ticker {
    const util::Progress& progress;
    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
    std::thread thread;

    explicit Ticker(const util::Progress& p) : progress(p) {
        thread = std::thread([this] { run(); });
    }

    void run() {
        const auto start = std::chrono::steady_clock::now();
        std::unique_lock lock(mutex);
        // A tick every 100 ms: at most 10 redraws a second, and none for a command that
        // ends sooner.
        while (!wake.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop; })) {
            auto s = progress.snapshot();
            if (s.done == 0) continue;
            std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
            std::string line = report::render_progress(s, elapsed.count(), terminal_width());
            std::lock_guard out(g_mutex);
            std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
            std::fflush(stderr);
            g_drawn = true;
        }
    }
};

ProgressLine::ProgressLine(const util::Progress& progress) : m_ticker(std::make_unique<Ticker>(progress)) {}

ProgressLine::~ProgressLine() {
    {
        std::lock_guard lock(m_ticker->mutex);
        m_ticker->stop = true;
    }
    m_ticker->wake.notify_one();
    m_ticker->thread.join();
    erase_progress_line();
}

void erase_progress_line() {
    std::lock_guard lock(g_mutex);
    erase_locked();
}

}  // namespace tarsier::cli
