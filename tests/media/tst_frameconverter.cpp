#include "core/media/frameconverter.h"
#include "core/media/videodecoder.h"

#include "mediafixtures.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;
using namespace saccade::test;

// Pixel conversion: sizes, rotation, aspect ratio, and the two resize filters of the presets.
class TestFrameConverter : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static QImage rgbImage(int width, int height, const std::vector<int>& values) {
        QImage image(width, height, QImage::Format_RGB888);
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                const int v = values[size_t(y * width + x)];
                image.setPixel(x, y, qRgb(v, v / 2, 255 - v));
            }
        }
        return image;
    }

    VideoFrame decodeFirst(const QString& path) {
        auto decoder = VideoDecoder::open(path);
        if (!decoder)
            return {};
        auto frame = (*decoder)->frameAt(0);
        return frame ? *frame : VideoFrame();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(!ffmpegProgram().isEmpty());
    }

    void bilinearMatchesTorchDownscale() {
        // 4x2 -> 2x1: scale 2, source x = 2*(i+0.5)-0.5 = 0.5 and 2.5, y = 0.5: each output averages a 2x2
        // block.
        const QImage image = rgbImage(4, 2, {0, 100, 200, 40, 20, 60, 80, 120});
        const FloatPlanes planes = FrameConverter::resizeBilinear(image, QSize(2, 1));
        QCOMPARE(planes.width, 2);
        QCOMPARE(planes.height, 1);
        QCOMPARE(planes.values.size(), size_t(6));
        QVERIFY(qAbs(planes.values[0] - (0 + 100 + 20 + 60) / 4.0f / 255.0f) < 1e-6f);
        QVERIFY(qAbs(planes.values[1] - (200 + 40 + 80 + 120) / 4.0f / 255.0f) < 1e-6f);
        // Blue plane (255 - v) follows the same weights.
        QVERIFY(qAbs(planes.values[4] - (255 * 4 - 180) / 4.0f / 255.0f) < 1e-6f);
    }

    void bilinearMatchesTorchUpscale() {
        // 2x1 -> 4x1: source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (second tap clamped to the edge).
        const QImage image = rgbImage(2, 1, {0, 200});
        const FloatPlanes planes = FrameConverter::resizeBilinear(image, QSize(4, 1));
        const float expected[] = {0.0f, 50.0f, 150.0f, 200.0f};
        for (int x = 0; x < 4; ++x)
            QVERIFY2(qAbs(planes.values[size_t(x)] - expected[x] / 255.0f) < 1e-6f,
                     qPrintable(QString::number(x)));
    }

    void bilinearNonIntegerScale() {
        // 5 -> 3: scale 5/3, source x = 0.3333, 2.0, 3.6667.
        const QImage image = rgbImage(5, 1, {0, 30, 60, 90, 120});
        const FloatPlanes planes = FrameConverter::resizeBilinear(image, QSize(3, 1));
        const float expected[] = {10.0f, 60.0f, 110.0f};
        for (int x = 0; x < 3; ++x)
            QVERIFY2(qAbs(planes.values[size_t(x)] - expected[x] / 255.0f) < 1e-5f,
                     qPrintable(QString::number(x)));
    }

    void sizes() {
        QCOMPARE(FrameConverter::fitInside(QSize(1920, 1080), QSize(640, 640)), QSize(640, 360));
        QCOMPARE(FrameConverter::fitInside(QSize(1080, 1920), QSize(640, 640)), QSize(360, 640));
        QCOMPARE(FrameConverter::fitInside(QSize(2, 2), QSize(1, 100)), QSize(1, 1));
        QCOMPARE(FrameConverter::scaledToShortSide(QSize(1920, 1080), 224), QSize(398, 224));
        QCOMPARE(FrameConverter::scaledToShortSide(QSize(720, 1280), 224), QSize(224, 398));
        QCOMPARE(FrameConverter::scaledToShortSide(QSize(1281, 721), 224), QSize(398, 224));
    }

    void rotationIsExact() {
        const QImage image = rgbImage(3, 2, {1, 2, 3, 4, 5, 6});
        const QImage turned = FrameConverter::rotated(image, 90);
        QCOMPARE(turned.size(), QSize(2, 3));
        // Clockwise: the bottom-left pixel goes to the top-left.
        QCOMPARE(turned.pixel(0, 0), image.pixel(0, 1));
        QCOMPARE(turned.pixel(1, 0), image.pixel(0, 0));
        QCOMPARE(turned.pixel(0, 2), image.pixel(2, 1));
        QCOMPARE(FrameConverter::rotated(image, 180).pixel(0, 0), image.pixel(2, 1));
        QCOMPARE(FrameConverter::rotated(image, 270).pixel(0, 0), image.pixel(2, 0));
    }

    void sampleAspectRatioWidensTheImage() {
        const QString path = makeBarCodeVideo(QDir(m_dir.path()), QStringLiteral("anamorphic.mkv"),
                                              {"-c:v", "ffv1"}, QStringLiteral("setsar=2"), 3);
        QVERIFY(!path.isEmpty());
        const VideoFrame frame = decodeFirst(path);
        QVERIFY(frame.isValid());
        FrameConverter converter;
        auto image = converter.toImage(frame);
        QVERIFY(image.ok());
        QCOMPARE(image->size(), QSize(2 * kFixtureWidth, kFixtureHeight));
        auto fitted = converter.toImage(frame, QSize(128, 128));
        QVERIFY(fitted.ok());
        QCOMPARE(fitted->size(), QSize(128, 48));
        // The model sees coded pixels at the size it asks for.
        auto planes = converter.toFloatPlanes(frame, QSize(32, 24), ResizeFilter::BilinearNoAntialias);
        QVERIFY(planes.ok());
        QCOMPARE(planes->width, 32);
        QCOMPARE(planes->height, 24);
    }

    void antialiasAveragesWhatPlainBilinearSkips() {
        // Vertical stripes one pixel wide every 4 pixels: shrinking 4x, the plain 2-tap filter samples
        // pixels 4i+1 and 4i+2 (both dark) while the antialiased one averages all four (a quarter lit).
        const QString path = QDir(m_dir.path()).filePath(QStringLiteral("stripes.mkv"));
        QCOMPARE(runFfmpeg({"-f", "lavfi", "-i",
                            "color=black:s=128x32:r=30,trim=end_frame=1,format=gbrp,"
                            "geq=r='if(eq(mod(X\\,4)\\,0)\\,255\\,0)':g='if(eq(mod(X\\,4)\\,0)\\,255\\,0)':"
                            "b='if(eq(mod(X\\,4)\\,0)\\,255\\,0)'",
                            "-c:v", "ffv1", path}),
                 QString());
        const VideoFrame frame = decodeFirst(path);
        QVERIFY(frame.isValid());
        FrameConverter converter;
        auto plain = converter.toFloatPlanes(frame, QSize(32, 8), ResizeFilter::BilinearNoAntialias);
        auto smooth = converter.toFloatPlanes(frame, QSize(32, 8), ResizeFilter::BilinearAntialias);
        QVERIFY(plain.ok() && smooth.ok());
        QCOMPARE(plain->values.size(), size_t(3 * 32 * 8));
        double plainMean = 0;
        double smoothMean = 0;
        for (size_t i = 0; i < plain->values.size(); ++i) {
            plainMean += plain->values[i];
            smoothMean += smooth->values[i];
        }
        plainMean /= double(plain->values.size());
        smoothMean /= double(smooth->values.size());
        QVERIFY2(plainMean < 0.02, qPrintable(QString::number(plainMean)));
        QVERIFY2(qAbs(smoothMean - 0.25) < 0.05, qPrintable(QString::number(smoothMean)));
    }

    void fullSizeFloatPlanesMatchTheImage() {
        const QString path =
            makeBarCodeVideo(QDir(m_dir.path()), QStringLiteral("planes.mkv"), {"-c:v", "ffv1"}, {}, 8);
        auto decoder = VideoDecoder::open(path);
        QVERIFY(decoder.ok());
        auto frame = (*decoder)->frameAt(5);
        QVERIFY(frame.ok());
        FrameConverter converter;
        auto planes = converter.toFloatPlanes(*frame, QSize(kFixtureWidth, kFixtureHeight),
                                              ResizeFilter::BilinearNoAntialias);
        QVERIFY(planes.ok());
        // Frame 5 = bits 0 and 2: columns 0-15 and 32-47 are white, 16-31 black.
        const size_t row = size_t(kFixtureHeight / 2) * kFixtureWidth;
        QVERIFY(planes->values[row + 8] > 0.9f);
        QVERIFY(planes->values[row + 24] < 0.1f);
        QVERIFY(planes->values[row + 40] > 0.9f);
    }

    void frameWithoutPixelsIsAnError() {
        FrameConverter converter;
        QVERIFY(!converter.toImage(VideoFrame()).ok());
        QVERIFY(!converter.toFloatPlanes(VideoFrame(), QSize(4, 4), ResizeFilter::BilinearAntialias).ok());
    }
};

QTEST_GUILESS_MAIN(TestFrameConverter)
#include "tst_frameconverter.moc"
