#include "core/media/videoencoder.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

namespace {

// Frame i: left half a colour that changes with i, right half a fixed grey, so both the frame order and
// the pixel values can be checked after decoding.
QColor leftColour(int index) {
    static const QColor colours[] = {QColor(220, 30, 30), QColor(30, 200, 40), QColor(40, 50, 210),
                                     QColor(230, 230, 40)};
    return colours[index % 4];
}

QImage makeFrame(int index, int width, int height, QImage::Format format) {
    QImage image(width, height, format);
    image.fill(QColor(128, 128, 128));
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width / 2; ++x)
            image.setPixelColor(x, y, leftColour(index));
    return image;
}

QString runTool(const QString& program, const QStringList& arguments, QByteArray* rawOutput = nullptr) {
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(60000))
        return QStringLiteral("<%1 did not finish>").arg(program);
    const QByteArray output = process.readAllStandardOutput();
    if (rawOutput)
        *rawOutput = output;
    return QString::fromUtf8(output).trimmed();
}

} // namespace

class TestVideoEncoder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        if (QStandardPaths::findExecutable(QStringLiteral("ffprobe")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty())
            QSKIP("the ffmpeg and ffprobe programs are needed to read the encoded files back");
    }

    void encodesFramesThatDecodeBack_data() {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<int>("fpsNumerator");
        QTest::addColumn<int>("fpsDenominator");
        QTest::addColumn<int>("imageFormat");
        QTest::newRow("h264 mp4 30000/1001 rgb888")
            << "a.mp4"
            << "libx264" << 30000 << 1001 << int(QImage::Format_RGB888);
        QTest::newRow("h264 mp4 25 rgb32") << "b.mp4"
                                           << "libx264" << 25 << 1 << int(QImage::Format_RGB32);
        QTest::newRow("h264 mkv 24 argb32pm")
            << "c.mkv"
            << "libx264" << 24 << 1 << int(QImage::Format_ARGB32_Premultiplied);
        QTest::newRow("mpeg4 mp4 15 rgba8888") << "d.mp4"
                                               << "mpeg4" << 15 << 1 << int(QImage::Format_RGBA8888);
    }

    void encodesFramesThatDecodeBack() {
        QFETCH(QString, fileName);
        QFETCH(QString, codec);
        QFETCH(int, fpsNumerator);
        QFETCH(int, fpsDenominator);
        QFETCH(int, imageFormat);
        const int width = 64;
        const int height = 48;
        const int frameCount = 12;

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(fileName);
        VideoEncoderOptions options;
        options.width = width;
        options.height = height;
        options.fpsNumerator = fpsNumerator;
        options.fpsDenominator = fpsDenominator;
        options.codecName = codec;
        options.crf = 10;
        options.preset = QStringLiteral("veryfast");

        VideoEncoder encoder;
        const Status opened = encoder.open(path, options);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
        for (int i = 0; i < frameCount; ++i) {
            const Status written =
                encoder.writeFrame(makeFrame(i, width, height, QImage::Format(imageFormat)));
            QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        }
        QCOMPARE(encoder.framesWritten(), qint64(frameCount));
        QVERIFY(!QFile::exists(path)); // only the finished file appears under the real name
        const Status finished = encoder.finish();
        QVERIFY2(finished.ok(), qPrintable(finished.ok() ? QString() : finished.error().toString()));
        QVERIFY(QFile::exists(path));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);

        const QString probe = runTool(
            QStringLiteral("ffprobe"),
            {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-count_frames"),
             QStringLiteral("-select_streams"), QStringLiteral("v:0"), QStringLiteral("-show_entries"),
             QStringLiteral("stream=width,height,r_frame_rate,nb_read_frames,pix_fmt"), QStringLiteral("-of"),
             QStringLiteral("default=noprint_wrappers=1"), path});
        QVERIFY2(probe.contains(QStringLiteral("width=%1").arg(width)), qPrintable(probe));
        QVERIFY2(probe.contains(QStringLiteral("height=%1").arg(height)), qPrintable(probe));
        QVERIFY2(probe.contains(QStringLiteral("pix_fmt=yuv420p")), qPrintable(probe));
        QVERIFY2(probe.contains(QStringLiteral("r_frame_rate=%1/%2").arg(fpsNumerator).arg(fpsDenominator)),
                 qPrintable(probe));
        QVERIFY2(probe.contains(QStringLiteral("nb_read_frames=%1").arg(frameCount)), qPrintable(probe));

        QByteArray raw;
        runTool(QStringLiteral("ffmpeg"),
                {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-i"), path,
                 QStringLiteral("-f"), QStringLiteral("rawvideo"), QStringLiteral("-pix_fmt"),
                 QStringLiteral("rgb24"), QStringLiteral("-")},
                &raw);
        const int frameBytes = width * height * 3;
        QCOMPARE(raw.size(), frameBytes * frameCount);
        // mpeg4 at its default bit rate is coarser than x264 at CRF 10.
        const int tolerance = codec == QStringLiteral("mpeg4") ? 40 : 16;
        for (int i = 0; i < frameCount; ++i) {
            const auto* pixels = reinterpret_cast<const uchar*>(raw.constData()) + i * frameBytes;
            const QColor expectedLeft = leftColour(i);
            const int y = height / 2;
            const uchar* left = pixels + (y * width + width / 4) * 3;
            const uchar* right = pixels + (y * width + 3 * width / 4) * 3;
            QVERIFY2(
                qAbs(left[0] - expectedLeft.red()) <= tolerance &&
                    qAbs(left[1] - expectedLeft.green()) <= tolerance &&
                    qAbs(left[2] - expectedLeft.blue()) <= tolerance,
                qPrintable(
                    QStringLiteral("frame %1 left %2,%3,%4").arg(i).arg(left[0]).arg(left[1]).arg(left[2])));
            for (int c = 0; c < 3; ++c)
                QVERIFY2(qAbs(right[c] - 128) <= tolerance,
                         qPrintable(QStringLiteral("frame %1 right").arg(i)));
        }
    }

    void keyFrameIntervalIsHonoured() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gop.mp4"));
        VideoEncoderOptions options;
        options.width = 32;
        options.height = 32;
        options.keyFrameInterval = 5;
        options.preset = QStringLiteral("ultrafast");
        VideoEncoder encoder;
        QVERIFY(encoder.open(path, options).ok());
        for (int i = 0; i < 12; ++i)
            QVERIFY(encoder.writeFrame(makeFrame(i, 32, 32, QImage::Format_RGB888)).ok());
        QVERIFY(encoder.finish().ok());
        const QString keys = runTool(
            QStringLiteral("ffprobe"),
            {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-select_streams"),
             QStringLiteral("v:0"), QStringLiteral("-show_entries"), QStringLiteral("frame=key_frame"),
             QStringLiteral("-of"), QStringLiteral("default=noprint_wrappers=1"), path});
        QStringList flags;
        const QRegularExpression keyFrame(QStringLiteral("key_frame=(\\d)"));
        for (auto match = keyFrame.globalMatch(keys); match.hasNext();)
            flags << match.next().captured(1);
        QCOMPARE(flags.join(QLatin1Char(',')), QStringLiteral("1,0,0,0,0,1,0,0,0,0,1,0"));
    }

    void unwritablePathGivesAClearError_data() {
        QTest::addColumn<QString>("relativePath");
        QTest::addColumn<int>("category");
        QTest::newRow("missing folder") << "no/such/folder/out.mp4" << int(ErrorCategory::NotFound);
        QTest::newRow("folder is a file") << "plain.txt/out.mp4" << int(ErrorCategory::NotFound);
    }

    void unwritablePathGivesAClearError() {
        QFETCH(QString, relativePath);
        QFETCH(int, category);
        QTemporaryDir dir;
        QFile plain(dir.filePath(QStringLiteral("plain.txt")));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        const QString path = dir.filePath(relativePath);
        VideoEncoderOptions options;
        options.width = 32;
        options.height = 32;
        VideoEncoder encoder;
        const Status opened = encoder.open(path, options);
        QVERIFY(!opened.ok());
        QCOMPARE(int(opened.error().category), category);
        QCOMPARE(opened.error().path, path);
        QVERIFY(!encoder.isOpen());
    }

    void systemFolderIsRefused() {
        // Not even root may create files in /proc.
        VideoEncoderOptions options;
        options.width = 32;
        options.height = 32;
        VideoEncoder encoder;
        const QString path = QStringLiteral("/proc/saccade-encoder-test.mp4");
        const Status opened = encoder.open(path, options);
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().path, path);
        QVERIFY(!opened.error().message.isEmpty());
    }

    void badOptionsAreRejected_data() {
        QTest::addColumn<QString>("codec");
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("preset");
        QTest::addColumn<int>("category");
        QTest::newRow("unknown encoder") << "no-such-codec" << 32 << "" << int(ErrorCategory::Unsupported);
        QTest::newRow("odd width") << "libx264" << 33 << "" << int(ErrorCategory::InvalidArgument);
        QTest::newRow("zero width") << "libx264" << 0 << "" << int(ErrorCategory::InvalidArgument);
        QTest::newRow("unknown preset")
            << "libx264" << 32 << "warp-speed" << int(ErrorCategory::InvalidArgument);
    }

    void badOptionsAreRejected() {
        QFETCH(QString, codec);
        QFETCH(int, width);
        QFETCH(QString, preset);
        QFETCH(int, category);
        QTemporaryDir dir;
        VideoEncoderOptions options;
        options.width = width;
        options.height = 32;
        options.codecName = codec;
        options.preset = preset;
        VideoEncoder encoder;
        const Status opened = encoder.open(dir.filePath(QStringLiteral("x.mp4")), options);
        QVERIFY(!opened.ok());
        QCOMPARE(int(opened.error().category), category);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void wrongFrameSizeIsRejected() {
        QTemporaryDir dir;
        VideoEncoderOptions options;
        options.width = 32;
        options.height = 32;
        VideoEncoder encoder;
        QVERIFY(encoder.open(dir.filePath(QStringLiteral("x.mp4")), options).ok());
        const Status written = encoder.writeFrame(makeFrame(0, 16, 16, QImage::Format_RGB888));
        QVERIFY(!written.ok());
        QCOMPARE(written.error().category, ErrorCategory::InvalidArgument);
        // The encoder stays usable after a rejected frame.
        QVERIFY(encoder.writeFrame(makeFrame(0, 32, 32, QImage::Format_RGB888)).ok());
        QVERIFY(encoder.finish().ok());
    }

    void cancellationAndAbandonLeaveNothing() {
        QTemporaryDir dir;
        VideoEncoderOptions options;
        options.width = 32;
        options.height = 32;
        CancellationToken cancel;
        {
            VideoEncoder encoder;
            QVERIFY(encoder.open(dir.filePath(QStringLiteral("cancelled.mp4")), options, cancel).ok());
            QVERIFY(encoder.writeFrame(makeFrame(0, 32, 32, QImage::Format_RGB888)).ok());
            cancel.cancel();
            const Status written = encoder.writeFrame(makeFrame(1, 32, 32, QImage::Format_RGB888));
            QVERIFY(!written.ok());
            QCOMPARE(written.error().category, ErrorCategory::Cancelled);
            QVERIFY(!encoder.isOpen());
        }
        {
            VideoEncoder encoder;
            QVERIFY(encoder.open(dir.filePath(QStringLiteral("abandoned.mp4")), options).ok());
            QVERIFY(encoder.writeFrame(makeFrame(0, 32, 32, QImage::Format_RGB888)).ok());
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestVideoEncoder)
#include "tst_videoencoder.moc"
