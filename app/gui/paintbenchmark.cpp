#include "paintbenchmark.h"

#include "ui/video/videoview.h"

#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTextStream>

#include <algorithm>
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
    return 0;
}

} // namespace saccade
