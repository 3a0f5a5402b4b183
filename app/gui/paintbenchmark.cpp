#include "paintbenchmark.h"

#include "ui/analysis/attentionexplorer.h"
#include "ui/analysis/attentiongrid.h"
#include "ui/analysis/explorerbinding.h"
#include "ui/video/videoview.h"

#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTextStream>

#include <time.h>

#include <algorithm>
#include <functional>
#include <random>
#include <vector>

namespace saccade {

namespace {

QImage makeFrame(QSize size) {
    QImage frame(size, QImage::Format_RGB32);
    QPainter painter(&frame);
    QLinearGradient gradient(0, 0, size.width(), size.height());
    gradient.setColorAt(0, QColor(30, 60, 120));
    gradient.setColorAt(1, QColor(200, 140, 60));
    painter.fillRect(frame.rect(), gradient);
    return frame;
}

QImage makeHeatMap(int patches) {
    QImage heat(patches, patches, QImage::Format_ARGB32);
    for (int y = 0; y < patches; ++y) {
        for (int x = 0; x < patches; ++x)
            heat.setPixelColor(x, y, QColor::fromHsv((x * 17 + y * 29) % 240, 255, 255, 200));
    }
    return heat;
}

struct Figures {
    double median = 0.0;
    double p95 = 0.0;
};

Figures summarize(std::vector<double> timesMs) {
    std::sort(timesMs.begin(), timesMs.end());
    return {timesMs[timesMs.size() / 2], timesMs[std::min(timesMs.size() - 1, timesMs.size() * 95 / 100)]};
}

QString describe(const Figures& figures) {
    return QStringLiteral("median %1 ms, p95 %2 ms")
        .arg(QString::number(figures.median, 'f', 2), QString::number(figures.p95, 'f', 2));
}

// A window shaped like the base model's (12 layers, 12 heads, 8 frames, 14x14 patches), softmax-like
// random maps, over a `frameSize` video with a centred square crop box.
WindowResult makeBaseWindow(QSize frameSize) {
    constexpr int layers = 12, heads = 12, frames = 8, grid = 14;
    WindowResult window;
    window.windowIndex = 0;
    window.frameSize = frameSize;
    const int side = std::min(frameSize.width(), frameSize.height());
    window.cropBoxes = {QRect((frameSize.width() - side) / 2, (frameSize.height() - side) / 2, side, side)};
    for (int t = 0; t < frames; ++t)
        window.frames.push_back(t * 8);
    std::mt19937 random(1);
    std::exponential_distribution<float> weight(1.0f);
    window.spatial.shape = {layers, heads, frames, grid, grid};
    window.spatial.values.resize(size_t(layers * heads * frames * grid * grid));
    for (size_t start = 0; start < window.spatial.values.size(); start += grid * grid) {
        float sum = 0.0f;
        for (int p = 0; p < grid * grid; ++p)
            sum += window.spatial.values[start + size_t(p)] = std::pow(weight(random), 3.0f);
        for (int p = 0; p < grid * grid; ++p)
            window.spatial.values[start + size_t(p)] /= sum;
    }
    window.rollout.shape = {frames, grid, grid};
    window.rollout.values.assign(window.spatial.values.begin(),
                                 window.spatial.values.begin() + frames * grid * grid);
    return window;
}

} // namespace

int PaintBenchmark::run(QSize frameSize, QSize viewSize, int iterations) {
    VideoView view;
    view.resize(viewSize);
    view.setFrameGeometry(frameSize, 1.0);
    const QRectF crop((frameSize.width() - frameSize.height()) / 2.0, 0, frameSize.height(),
                      frameSize.height());
    view.setOverlay(makeHeatMap(14), crop);
    view.setCropBoxes({crop});
    view.setHudText(QStringLiteral("00:00:01.001  #30"));

    // Two cases: the decoder delivers frames at the view's size (the normal path), or at full size.
    struct Case {
        const char* name;
        QSize imageSize;
        bool overlay;
    };
    const QSize ideal = view.idealImageSize();
    const std::vector<Case> cases = {{"baseline: frame only, no overlay", ideal, false},
                                     {"frame decoded at view size + overlay", ideal, true},
                                     {"full-size frame scaled + overlay", frameSize, true}};
    QImage target(viewSize, QImage::Format_RGB32);
    QTextStream out(stdout);
    out << "VideoView paint, view " << viewSize.width() << "x" << viewSize.height() << ", frame "
        << frameSize.width() << "x" << frameSize.height() << ", 14x14 heat map overlay, " << iterations
        << " iterations\n";
    for (const Case& benchCase : cases) {
        view.setOverlayVisible(benchCase.overlay);
        view.setCropBoxes(benchCase.overlay ? QVector<QRectF>{crop} : QVector<QRectF>{});
        view.setHudVisible(benchCase.overlay);
        // Distinct images per iteration so no cache can hide the cost of a new frame.
        std::vector<QImage> frames;
        for (int index = 0; index < 4; ++index)
            frames.push_back(makeFrame(benchCase.imageSize));
        std::vector<double> timesMs;
        for (int index = 0; index < iterations; ++index) {
            view.setImage(frames[size_t(index) % frames.size()]);
            QElapsedTimer clock;
            clock.start();
            view.render(&target);
            timesMs.push_back(clock.nsecsElapsed() / 1e6);
        }
        std::sort(timesMs.begin(), timesMs.end());
        const double median = timesMs[timesMs.size() / 2];
        const double p95 = timesMs[std::min(timesMs.size() - 1, timesMs.size() * 95 / 100)];
        out << "  " << benchCase.name << " (" << benchCase.imageSize.width() << "x"
            << benchCase.imageSize.height() << "): median " << QString::number(median, 'f', 2) << " ms, p95 "
            << QString::number(p95, 'f', 2) << " ms\n";
    }
    runExplorer(frameSize, viewSize, iterations, out);
    return 0;
}

void PaintBenchmark::runExplorer(QSize frameSize, QSize viewSize, int iterations, QTextStream& out) {
    // From a changed choice to the repainted frame: the explorer picks the map from the cached window,
    // the video view renders it at device size and paints frame, overlay, crop box and HUD.
    const WindowResult window = makeBaseWindow(frameSize);
    AttentionExplorer explorer;
    VideoView view;
    view.resize(viewSize);
    view.setFrameGeometry(frameSize, 1.0);
    view.setCropBoxes({QRectF(window.attentionBox())});
    view.setHudText(QStringLiteral("00:00:01.001  #30"));
    AttentionGrid grid;
    ExplorerBinding binding(&explorer, {&view, nullptr, nullptr, nullptr}, nullptr);
    explorer.setPlayhead(27);
    explorer.setWindow(window);
    view.setImage(makeFrame(view.idealImageSize()));
    QImage target(viewSize, QImage::Format_RGB32);
    view.render(&target);

    // The cases take turns, so a busy machine slows them alike; thread CPU time is reported too, as
    // it leaves out the time the scheduler gave to other processes.
    const QImage frames[2] = {makeFrame(view.idealImageSize()), makeFrame(view.idealImageSize())};
    const HeadFusion fusions[3] = {HeadFusion::Mean, HeadFusion::Max, HeadFusion::Min};
    const Colormap colormaps[4] = {Colormap::Viridis, Colormap::Inferno, Colormap::Jet, Colormap::Grey};
    struct Case {
        const char* name;
        std::function<void(int)> change;
        std::vector<double> wallMs;
        std::vector<double> cpuMs;
    };
    std::vector<Case> cases = {
        {"baseline: new frame, no overlay", [&](int i) { view.setImage(frames[i % 2]); }, {}, {}},
        {"layer", [&](int i) { explorer.setLayer(i % 12); }, {}, {}},
        {"head", [&](int i) { explorer.setHead(i % 12); }, {}, {}},
        {"fusion (all heads)",
         [&](int i) {
             ExplorerChoices choices = explorer.choices();
             choices.head = -1;
             choices.fusion = fusions[i % 3];
             explorer.setChoices(choices);
         },
         {},
         {}},
        {"colormap", [&](int i) { explorer.setColormap(colormaps[i % 4]); }, {}, {}},
    };
    for (int index = 0; index < iterations; ++index) {
        for (Case& benchCase : cases) {
            const bool baseline = &benchCase == &cases.front();
            view.setOverlayVisible(!baseline);
            timespec cpuStart{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuStart);
            QElapsedTimer clock;
            clock.start();
            benchCase.change(index);
            view.render(&target);
            benchCase.wallMs.push_back(clock.nsecsElapsed() / 1e6);
            timespec cpuEnd{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuEnd);
            benchCase.cpuMs.push_back((cpuEnd.tv_sec - cpuStart.tv_sec) * 1e3 +
                                      (cpuEnd.tv_nsec - cpuStart.tv_nsec) / 1e6);
        }
    }
    out << "Attention explorer, base-model window (12 layers x 12 heads, 8 frames, 14x14 patches), crop box "
        << window.attentionBox().width() << "x" << window.attentionBox().height() << ", view "
        << viewSize.width() << "x" << viewSize.height() << ", " << iterations
        << " rounds, cases interleaved; change -> repainted frame (wall | thread CPU):\n";
    for (const Case& benchCase : cases)
        out << "  " << benchCase.name << ": " << describe(summarize(benchCase.wallMs)) << " | "
            << describe(summarize(benchCase.cpuMs)) << "\n";

    // The layers x heads grid: 144 maps plus 12 fused ones computed, rendered and painted.
    for (const QSize size : {QSize(320, 420), QSize(640, 720)}) {
        grid.resize(size);
        QImage gridTarget(size, QImage::Format_RGB32);
        std::vector<double> wallMs;
        std::vector<double> cpuMs;
        for (int index = 0; index < iterations; ++index) {
            timespec cpuStart{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuStart);
            QElapsedTimer clock;
            clock.start();
            grid.setMaps(window.spatial, index % 8, fusions[index % 3], colormaps[index % 4]);
            grid.render(&gridTarget);
            wallMs.push_back(clock.nsecsElapsed() / 1e6);
            timespec cpuEnd{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpuEnd);
            cpuMs.push_back((cpuEnd.tv_sec - cpuStart.tv_sec) * 1e3 +
                            (cpuEnd.tv_nsec - cpuStart.tv_nsec) / 1e6);
        }
        out << "Layers x heads grid, 144 maps + 12 fused, " << size.width() << "x" << size.height()
            << " (cells " << grid.cellRect(0, 0).width()
            << " px; wall | thread CPU): " << describe(summarize(wallMs)) << " | "
            << describe(summarize(cpuMs)) << "\n";
    }
}

} // namespace saccade
