#include "core/export/attentionviewexport.h"
#include "core/media/videodecoder.h"
#include "core/media/frameconverter.h"
#include "core/util/npy.h"
#include "inference/inferencefixtures.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <numeric>

using namespace saccade;

namespace {

// A 64 x 48 mid-grey video of `frames` frames at 30 fps.
QString makeGreyVideo(const QString& path, int frames) {
    return testing::runFfmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                               QStringLiteral("color=c=0x808080:size=64x48:rate=30"),
                               QStringLiteral("-frames:v"), QString::number(frames), QStringLiteral("-c:v"),
                               QStringLiteral("mpeg4"), QStringLiteral("-q:v"), QStringLiteral("2"),
                               QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), path});
}

FloatArray counting(std::vector<int64_t> shape, float offset) {
    FloatArray array;
    array.shape = std::move(shape);
    array.values.resize(size_t(array.elementCount()));
    std::iota(array.values.begin(), array.values.end(), offset);
    return array;
}

// A window of frames [start, start + 14] sampled at start + 2 and start + 10, over a 64 x 48 frame
// with its crop box at (8, 0, 48, 48): a 2 x 2 patch grid whose top-left patch is hot in the rollout
// and (for layer 1, head 0) in the spatial maps.
WindowResult window(int index, qint64 start) {
    WindowResult result;
    result.windowIndex = index;
    result.startFrame = start;
    result.endFrame = start + 14;
    result.frames = {start + 2, start + 10};
    result.frameSize = QSize(64, 48);
    result.cropBoxes = {QRect(8, 0, 48, 48)};
    result.setLogits({2.0f, 0.0f}, {QStringLiteral("grow"), QStringLiteral("shrink")}, 2);
    result.spatial = counting({2, 2, 2, 2, 2}, 0.0f); // (L, A, T, Hp, Wp)
    for (int t = 0; t < 2; ++t) {
        float* map = result.spatial.values.data() + ((1 * 2 + 0) * 2 + t) * 4;
        std::fill_n(map, 4, 0.0f);
        map[0] = 1.0f;
    }
    result.temporal = counting({2, 2, 4, 2, 2}, 100.0f); // (L, A, N, T, T)
    result.rollout = FloatArray{{2, 2, 2}, {1.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f}};
    return result;
}

AttentionViewSpec greySpec(bool rollout) {
    AttentionViewSpec spec;
    spec.rollout = rollout;
    spec.layer = 1;
    spec.heads = HeadSelection{0, HeadFusion::Mean};
    spec.style = OverlayStyle{Colormap::Grey, 1.0};
    return spec;
}

QImage overlayOf(const WindowResult& window, const AttentionViewSpec& spec, int t) {
    Result<GridMap> map = AttentionViewExport::selectMap(window, spec, t);
    return map.ok() ? AttentionViewExport::overlay(window, map.value(), window.frameSize, spec.style)
                    : QImage();
}

int grey(const QImage& image, int x, int y) {
    return qGray(image.pixel(x, y));
}

} // namespace

class TestAttentionViewExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nearestSampleAndWindowUnderAFrame() {
        const WindowResult first = window(0, 0);
        QCOMPARE(AttentionViewExport::nearestSample(first, 0), 0);
        QCOMPARE(AttentionViewExport::nearestSample(first, 6), 0); // tie: the earlier one
        QCOMPARE(AttentionViewExport::nearestSample(first, 7), 1);
        QCOMPARE(AttentionViewExport::nearestSample(WindowResult{}, 7), -1);
        const std::vector<ClipWindow> plan = {{0, 14, {2, 10}}, {15, 29, {17, 25}}};
        std::map<int, WindowResult> results{{1, window(1, 15)}};
        QVERIFY(!AttentionViewExport::windowFor(plan, results, 3));
        QCOMPARE(AttentionViewExport::windowFor(plan, results, 20)->windowIndex, 1);
        QVERIFY(!AttentionViewExport::windowFor(plan, results, 99));
    }

    void formatsTimecodes() {
        QCOMPARE(AttentionViewExport::timecode(0, 30.0), QStringLiteral("00:00:00.000"));
        QCOMPARE(AttentionViewExport::timecode(45, 30.0), QStringLiteral("00:00:01.500"));
        QCOMPARE(AttentionViewExport::timecode(109845, 30.0), QStringLiteral("01:01:01.500"));
        QCOMPARE(AttentionViewExport::timecode(1001, 30000.0 / 1001), QStringLiteral("00:00:33.400"));
    }

    void overlayShowsTheSelectedMap() {
        const WindowResult result = window(0, 0);
        // Rollout and spatial (layer 1, head 0) both light the top-left patch: centre (8 + 12, 12).
        for (bool rollout : {true, false}) {
            const QImage image = overlayOf(result, greySpec(rollout), 0);
            QCOMPARE(image.size(), QSize(64, 48));
            QVERIFY2(grey(image, 20, 12) > 240, rollout ? "rollout" : "spatial");
            QVERIFY(grey(image, 44, 36) < 15);
            QCOMPARE(qAlpha(image.pixel(2, 24)), 0); // outside the crop box
        }
        // Layer 0 head 1 is the counting ramp 12..15 at t = 1: the last patch is the brightest.
        AttentionViewSpec ramp = greySpec(false);
        ramp.layer = 0;
        ramp.heads.head = 1;
        Result<GridMap> map = AttentionViewExport::selectMap(result, ramp, 1);
        QVERIFY(map.ok());
        QCOMPARE(map->values, (std::vector<float>{12.0f, 13.0f, 14.0f, 15.0f}));
        QCOMPARE(map->rows, 2);
        QCOMPARE(map->columns, 2);
        const QImage image = overlayOf(result, ramp, 1);
        QVERIFY(grey(image, 44, 36) > grey(image, 20, 12));
        // Discarding the lowest half zeroes the two smallest entries.
        ramp.discardRatio = 0.5;
        QCOMPARE(AttentionViewExport::selectMap(result, ramp, 1)->values,
                 (std::vector<float>{0.0f, 0.0f, 14.0f, 15.0f}));
        WindowResult empty = result;
        empty.rollout = {};
        QVERIFY(!AttentionViewExport::selectMap(empty, greySpec(true), 0).ok());
    }

    void writesTheFrameWithItsOverlayAsPng() {
        QTemporaryDir scratch;
        const QString video = scratch.filePath(QStringLiteral("grey.mp4"));
        QCOMPARE(makeGreyVideo(video, 15), QString());
        const QString png = scratch.filePath(QStringLiteral("view.png"));
        const GridMap hot = AttentionViewExport::selectMap(window(0, 0), greySpec(true), 0).value();
        const OverlayStyle style{Colormap::Grey, 1.0};
        QVERIFY(AttentionViewExport::writeFramePng(video, 3, window(0, 0), hot, style, png).ok());
        QImage image(png);
        QCOMPARE(image.size(), QSize(64, 48));
        QVERIFY(grey(image, 20, 12) > 240);
        QVERIFY(grey(image, 44, 36) < 15);
        // Outside the crop box the frame shows through unchanged.
        QVERIFY(std::abs(grey(image, 2, 24) - 128) < 12);

        const Status missing = AttentionViewExport::writeFramePng(
            scratch.filePath(QStringLiteral("none.mp4")), 3, window(0, 0), hot, style, png);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().toString().contains(QStringLiteral("none.mp4")));
    }

    void burnsTheOverlayIntoTheWholeVideo() {
        QTemporaryDir scratch;
        const QString video = scratch.filePath(QStringLiteral("grey.mp4"));
        QCOMPARE(makeGreyVideo(video, 30), QString());
        const std::vector<ClipWindow> plan = {{0, 14, {2, 10}}, {15, 29, {17, 25}}};
        const std::map<int, WindowResult> results{{0, window(0, 0)}};
        const QString out = scratch.filePath(QStringLiteral("overlay.mp4"));
        OverlayVideoOptions options;
        options.timecode = false;
        std::vector<double> progress;
        const Status written = AttentionViewExport::writeOverlayVideo(
            video, plan, results, greySpec(true), out, options, {},
            [&progress](double fraction) { progress.push_back(fraction); });
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().toString()));
        QVERIFY(!progress.empty());
        QCOMPARE(progress.back(), 1.0);

        Result<std::unique_ptr<VideoDecoder>> decoder = VideoDecoder::open(out);
        QVERIFY(decoder.ok());
        QCOMPARE((*decoder)->frameCount().value(), qint64(30));
        FrameConverter converter;
        const QImage analysed = converter.toImage((*decoder)->frameAt(5).value()).value();
        QCOMPARE(analysed.size(), QSize(64, 48));
        QVERIFY(grey(analysed, 20, 12) > 200);
        QVERIFY(grey(analysed, 44, 36) < 50);
        // Window 1 was not analysed: its frames have no overlay.
        const QImage plain = converter.toImage((*decoder)->frameAt(20).value()).value();
        QVERIFY(std::abs(grey(plain, 20, 12) - 128) < 16);
        QVERIFY(std::abs(grey(plain, 44, 36) - 128) < 16);

        // With the timecode, the lower left corner carries the caption's dark box.
        const QString captioned = scratch.filePath(QStringLiteral("captioned.mp4"));
        QVERIFY(AttentionViewExport::writeOverlayVideo(video, plan, results, greySpec(true), captioned).ok());
        Result<std::unique_ptr<VideoDecoder>> second = VideoDecoder::open(captioned);
        QVERIFY(second.ok());
        const QImage caption = converter.toImage((*second)->frameAt(20).value()).value();
        QVERIFY(grey(caption, 4, 36) < 100);
    }

    void cancelledOrEmptyVideoExportsLeaveNoFile() {
        QTemporaryDir scratch;
        const QString video = scratch.filePath(QStringLiteral("grey.mp4"));
        QCOMPARE(makeGreyVideo(video, 30), QString());
        const std::vector<ClipWindow> plan = {{0, 14, {2, 10}}};
        const QString out = scratch.filePath(QStringLiteral("overlay.mp4"));
        CancellationToken cancel;
        cancel.cancel();
        const Status cancelled = AttentionViewExport::writeOverlayVideo(video, plan, {{0, window(0, 0)}},
                                                                        greySpec(true), out, {}, cancel);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().category, ErrorCategory::Cancelled);
        QVERIFY(!QFile::exists(out));
        QVERIFY(!AttentionViewExport::writeOverlayVideo(video, plan, {}, greySpec(true), out).ok());
        QCOMPARE(QDir(scratch.path()).entryList(QDir::Files), QStringList{QStringLiteral("grey.mp4")});
    }

    void writesTheWindowArraysWithTheirShapesAndValues() {
        QTemporaryDir scratch;
        const WindowResult result = window(3, 45);
        AttentionProvenance provenance{QStringLiteral("demo"), QStringLiteral("sha256:abc"),
                                       scratch.filePath(QStringLiteral("v.mp4")),
                                       QStringLiteral("demo preset"), 3};
        const QString out = scratch.filePath(QStringLiteral("arrays"));
        Result<QStringList> files = AttentionViewExport::writeArrays(
            out, result, provenance, QJsonObject{{QStringLiteral("overlay"), QStringLiteral("rollout")}});
        QVERIFY2(files.ok(), files.ok() ? "" : qPrintable(files.error().toString()));
        QCOMPARE(files.value(),
                 (QStringList{QStringLiteral("spatial.npy"), QStringLiteral("temporal.npy"),
                              QStringLiteral("rollout.npy"), QStringLiteral("attention.json")}));
        for (const auto& [name, array] : {std::pair{QStringLiteral("spatial.npy"), &result.spatial},
                                          std::pair{QStringLiteral("temporal.npy"), &result.temporal},
                                          std::pair{QStringLiteral("rollout.npy"), &result.rollout}}) {
            Result<FloatArray> read = readNpy(QDir(out).filePath(name));
            QVERIFY(read.ok());
            QCOMPARE(read->shape, array->shape);
            QCOMPARE(read->values, array->values);
        }
        QFile json(QDir(out).filePath(QStringLiteral("attention.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject sidecar = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(sidecar.value(QStringLiteral("model_hash")).toString(), QStringLiteral("sha256:abc"));
        QCOMPARE(
            sidecar.value(QStringLiteral("window")).toObject().value(QStringLiteral("start_frame")).toInt(),
            45);
        QCOMPARE(sidecar.value(QStringLiteral("window")).toObject().value(QStringLiteral("index")).toInt(),
                 3);
        QCOMPARE(sidecar.value(QStringLiteral("frames")).toArray(), (QJsonArray{47, 55}));
        QCOMPARE(sidecar.value(QStringLiteral("crop_box")).toArray(), (QJsonArray{8, 0, 48, 48}));
        QCOMPARE(sidecar.value(QStringLiteral("arrays"))
                     .toObject()
                     .value(QStringLiteral("temporal.npy"))
                     .toArray(),
                 (QJsonArray{2, 2, 4, 2, 2}));
        QCOMPARE(sidecar.value(QStringLiteral("top")).toString(), QStringLiteral("grow"));
        QCOMPARE(sidecar.value(QStringLiteral("overlay")).toString(), QStringLiteral("rollout"));

        // A window without arrays writes nothing.
        WindowResult bare = result;
        bare.spatial = bare.temporal = bare.rollout = {};
        const QString empty = scratch.filePath(QStringLiteral("empty"));
        QVERIFY(!AttentionViewExport::writeArrays(empty, bare, provenance).ok());
        QVERIFY(QDir(empty).entryList(QDir::Files).isEmpty());
    }
};

QTEST_MAIN(TestAttentionViewExport)
#include "tst_attentionviewexport.moc"
