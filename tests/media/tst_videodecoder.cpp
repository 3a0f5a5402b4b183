#include "core/media/frameconverter.h"
#include "core/media/mediasource.h"
#include "core/media/videodecoder.h"

#include "mediafixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <random>

using namespace saccade;
using namespace saccade::test;

// Frame-exact decoding across containers and codecs, and what bad input does.
class TestVideoDecoder : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString fixture(const QString& name, const QStringList& encoder, const QString& filter = {},
                    int frames = kFixtureFrames) {
        const QString path = makeBarCodeVideo(QDir(m_dir.path()), name, encoder, filter, frames);
        return path;
    }

    static int barCodeOf(FrameConverter& converter, const VideoFrame& frame) {
        auto image = converter.toImage(frame);
        return image ? readBarCode(*image, frame.rotationDegrees) : -1;
    }

    // Reads the bar-coded fixture to its end: frames 0..kFixtureFrames-1 in order, then nothing.
    static void readsEveryFrameInOrder(VideoDecoder& decoder, FrameConverter& converter) {
        for (int k = 0; k < kFixtureFrames; ++k) {
            auto frame = decoder.nextFrame();
            QVERIFY(frame.ok());
            QVERIFY2(frame->has_value(), qPrintable(QStringLiteral("stream ended at %1").arg(k)));
            QCOMPARE((*frame)->index, qint64(k));
            QCOMPARE(barCodeOf(converter, **frame), k);
        }
        auto end = decoder.nextFrame();
        QVERIFY(end.ok());
        QVERIFY(!end->has_value());
    }

    QString writeFile(const QString& name, const QByteArray& bytes) {
        const QString path = QDir(m_dir.path()).filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(bytes);
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!ffmpegProgram().isEmpty(), "the ffmpeg program makes the fixtures");
    }

    void frameExact_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("encoder");
        QTest::addColumn<QString>("filter");
        const QString yuv420 = QStringLiteral("format=yuv420p");
        QTest::newRow("h264-mp4-bframes")
            << "h264.mp4" << QStringList{"-c:v", "libx264", "-bf", "3", "-g", "24"} << yuv420;
        QTest::newRow("h264-ts-bframes")
            << "h264.ts" << QStringList{"-c:v", "libx264", "-bf", "3", "-g", "24"} << yuv420;
        QTest::newRow("h264-raw-no-timestamps")
            << "raw.h264" << QStringList{"-c:v", "libx264", "-bf", "2", "-g", "30"} << yuv420;
        QTest::newRow("hevc-mkv") << "hevc.mkv"
                                  << QStringList{"-c:v", "libx265", "-x265-params",
                                                 "log-level=error:keyint=24"}
                                  << yuv420;
        QTest::newRow("vp9-webm") << "vp9.webm"
                                  << QStringList{"-c:v",     "libvpx-vp9", "-g", "24",   "-deadline",
                                                 "realtime", "-cpu-used",  "8",  "-b:v", "300k"}
                                  << yuv420;
        QTest::newRow("mpeg4-avi-bframes")
            << "mpeg4.avi" << QStringList{"-c:v", "mpeg4", "-q:v", "3", "-g", "24", "-bf", "2"} << yuv420;
        QTest::newRow("mjpeg-mov") << "mjpeg.mov" << QStringList{"-c:v", "mjpeg", "-q:v", "3"}
                                   << QStringLiteral("format=yuvj420p");
        QTest::newRow("ffv1-mkv") << "ffv1.mkv" << QStringList{"-c:v", "ffv1"} << yuv420;
        // Irregular frame times: intervals of 1.4, 1.4 and 0.2 frame periods repeating.
        QTest::newRow("vfr-mkv") << "vfr.mkv"
                                 << QStringList{"-c:v", "libx264", "-bf", "2", "-g", "20", "-fps_mode", "vfr"}
                                 << QStringLiteral(
                                        "format=yuv420p,settb=1/1000,setpts='(N+0.4*mod(N\\,3))/30/TB'");
    }

    void frameExact() {
        QFETCH(QString, name);
        QFETCH(QStringList, encoder);
        QFETCH(QString, filter);
        const QString path = fixture(name, encoder, filter);
        QVERIFY2(!path.isEmpty(), qPrintable(name));

        auto decoder = VideoDecoder::open(path);
        QVERIFY2(decoder.ok(), qPrintable(decoder.ok() ? QString() : decoder.error().toString()));
        auto count = (*decoder)->frameCount();
        QVERIFY(count.ok());
        QCOMPARE(*count, qint64(kFixtureFrames));
        FrameConverter converter;

        // Sequential: every frame in order, each showing its own number.
        readsEveryFrameInOrder(**decoder, converter);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE((*decoder)->lostFrameCount(), qint64(0));

        // Random access in random order, including repeats, neighbours and both ends.
        std::vector<qint64> targets = {kFixtureFrames - 1, 0,  45, 44, 46, 46, 1,
                                       kFixtureFrames - 2, 23, 24, 25};
        std::mt19937 random(7);
        std::uniform_int_distribution<qint64> pick(0, kFixtureFrames - 1);
        for (int i = 0; i < 20; ++i)
            targets.push_back(pick(random));
        double previousPts = -1.0;
        for (qint64 target : targets) {
            auto frame = (*decoder)->frameAt(target);
            QVERIFY2(frame.ok(), qPrintable(frame.ok() ? QString() : frame.error().toString()));
            QCOMPARE(frame->index, target);
            QCOMPARE(barCodeOf(converter, *frame), int(target));
        }
        // Presentation times follow frame order.
        for (qint64 k = 0; k < kFixtureFrames; k += 9) {
            auto frame = (*decoder)->frameAt(k);
            QVERIFY(frame.ok());
            QVERIFY(frame->ptsSeconds > previousPts);
            previousPts = frame->ptsSeconds;
        }
        // After a seek, sequential reading continues from the sought frame.
        QVERIFY((*decoder)->frameAt(60).ok());
        auto next = (*decoder)->nextFrame();
        QVERIFY(next.ok() && next->has_value());
        QCOMPARE((*next)->index, qint64(61));
        QCOMPARE(barCodeOf(converter, **next), 61);
    }

    // Playback reads on from the start while the index is still being scanned: frames numbered by
    // counting must be the frames the index numbers the same, before, during and after the switch.
    void readingBeforeTheIndexIsFrameExact_data() { frameExact_data(); }

    void readingBeforeTheIndexIsFrameExact() {
        QFETCH(QString, name);
        QFETCH(QStringList, encoder);
        QFETCH(QString, filter);
        const QString path = fixture(name, encoder, filter);
        QVERIFY2(!path.isEmpty(), qPrintable(name));
        VideoDecoder::Options options;
        options.startBeforeIndex = true;
        auto decoder = VideoDecoder::open(path, options);
        QVERIFY(decoder.ok());
        FrameConverter converter;
        readsEveryFrameInOrder(**decoder, converter);
        if (QTest::currentTestFailed())
            return;
        auto count = (*decoder)->frameCount();
        QVERIFY(count.ok());
        QCOMPARE(*count, qint64(kFixtureFrames));
        QVERIFY((*decoder)->isIndexReady());
        auto frame = (*decoder)->frameAt(31);
        QVERIFY(frame.ok());
        QCOMPARE(barCodeOf(converter, *frame), 31);
    }

    void closingDuringTheIndexScanReturns() {
        const QString path = fixture(QStringLiteral("scan.mp4"), {"-c:v", "libx264", "-g", "24"},
                                     QStringLiteral("format=yuv420p"), 600);
        FrameConverter converter;
        for (int i = 0; i < 5; ++i) {
            VideoDecoder::Options options;
            options.startBeforeIndex = true;
            auto decoder = VideoDecoder::open(path, options);
            QVERIFY(decoder.ok());
            auto first = (*decoder)->nextFrame();
            QVERIFY(first.ok() && first->has_value());
            QCOMPARE(barCodeOf(converter, **first), 0);
        }
    }

    void variableFrameRateKeepsTimes() {
        const QString path = fixture(QStringLiteral("vfr-times.mkv"), {"-c:v", "ffv1", "-fps_mode", "vfr"},
                                     QStringLiteral("settb=1/1000,setpts='(N+0.4*mod(N\\,3))/30/TB'"), 30);
        QVERIFY(!path.isEmpty());
        auto decoder = VideoDecoder::open(path);
        QVERIFY(decoder.ok());
        for (qint64 k : {29, 4, 5, 6, 0}) {
            auto frame = (*decoder)->frameAt(k);
            QVERIFY(frame.ok());
            const double expected = (k + 0.4 * (k % 3)) / 30.0;
            QVERIFY2(qAbs(frame->ptsSeconds - expected) < 0.0015,
                     qPrintable(QString::number(frame->ptsSeconds)));
        }
    }

    void rotatedVideo() {
        const QString plain =
            fixture(QStringLiteral("plain.mp4"), {"-c:v", "libx264", "-bf", "3", "-g", "24"},
                    QStringLiteral("format=yuv420p"));
        QVERIFY(!plain.isEmpty());
        const QString rotated = QDir(m_dir.path()).filePath(QStringLiteral("rotated.mp4"));
        QCOMPARE(runFfmpeg({"-i", plain, "-c", "copy", "-metadata:s:v", "rotate=90", rotated}), QString());

        auto info = MediaSource::probe(rotated);
        QVERIFY(info.ok());
        // FFmpeg stores this tag as a display matrix that turns the picture 90 degrees counter-clockwise.
        QCOMPARE(info->rotationDegrees, 270);
        QCOMPARE(info->displaySize(), QSize(kFixtureHeight, kFixtureWidth));

        auto decoder = VideoDecoder::open(rotated);
        QVERIFY(decoder.ok());
        FrameConverter converter;
        for (qint64 k : {77, 3, 50}) {
            auto frame = (*decoder)->frameAt(k);
            QVERIFY(frame.ok());
            QCOMPARE(frame->rotationDegrees, 270);
            auto image = converter.toImage(*frame);
            QVERIFY(image.ok());
            QCOMPARE(image->size(), QSize(kFixtureHeight, kFixtureWidth));
            QCOMPARE(readBarCode(*image, 270), int(k));
        }
    }

    void corruptPacketsAreSkipped_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("mpegts payload") << "corrupt.ts";
        QTest::newRow("matroska middle") << "corrupt.mkv";
    }

    void corruptPacketsAreSkipped() {
        QFETCH(QString, name);
        // Noise makes packets large, so the damage lands inside picture data rather than container headers.
        const QString path = fixture(name, {"-c:v", "libx264", "-bf", "0", "-g", "15"},
                                     QStringLiteral("noise=alls=24:allf=t,format=yuv420p"));
        QVERIFY(!path.isEmpty());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QByteArray bytes = file.readAll();
        std::mt19937 random(3);
        if (name.endsWith(QLatin1String(".ts"))) {
            // Scramble the payload of a run of transport packets, keeping their 4-byte headers intact.
            constexpr int kPacket = 188;
            const int first = int(bytes.size() / kPacket * 2 / 5);
            for (int packet = first; packet < first + 6; ++packet) {
                for (int i = 12; i < kPacket; ++i)
                    bytes[packet * kPacket + i] = char(random() & 0xff);
            }
        } else {
            const int first = int(bytes.size() * 2 / 5);
            for (int i = first; i < first + 64; ++i)
                bytes[i] = char(random() & 0xff);
        }
        QVERIFY(file.seek(0));
        file.write(bytes);
        file.close();

        auto decoder = VideoDecoder::open(path);
        QVERIFY(decoder.ok());
        FrameConverter converter;
        qint64 decoded = 0;
        qint64 last = -1;
        int lastCode = -1;
        for (;;) {
            auto frame = (*decoder)->nextFrame();
            QVERIFY(frame.ok());
            if (!frame->has_value())
                break;
            QVERIFY((*frame)->index > last);
            last = (*frame)->index;
            lastCode = barCodeOf(converter, **frame);
            ++decoded;
        }
        auto count = (*decoder)->frameCount();
        QVERIFY(count.ok());
        QVERIFY(decoded > 0);
        // The damage is noticed and reported, and decoding reached the intact end of the file.
        QVERIFY((*decoder)->lostFrameCount() + (*decoder)->damagedFrameCount() +
                    (*decoder)->rejectedPacketCount() >
                0);
        QCOMPARE(decoded + (*decoder)->undecodableFrameCount(), *count);
        QCOMPARE(lastCode, kFixtureFrames - 1);
        // Frames gone with the damaged packets are counted against the stream's frame rate.
        QVERIFY(*count + (*decoder)->lostFrameCount() >= kFixtureFrames - 2);
    }

    void badInput_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("category");
        QTest::newRow("missing") << "missing" << int(ErrorCategory::NotFound);
        QTest::newRow("directory") << "directory" << int(ErrorCategory::InvalidArgument);
        QTest::newRow("empty") << "empty" << int(ErrorCategory::InvalidData);
        QTest::newRow("text named .mp4") << "text" << int(ErrorCategory::InvalidData);
        QTest::newRow("truncated mp4 without moov") << "truncated" << int(ErrorCategory::InvalidData);
        QTest::newRow("audio only") << "audio" << int(ErrorCategory::Unsupported);
        QTest::newRow("subtitles only") << "subtitles" << int(ErrorCategory::Unsupported);
        QTest::newRow("unknown video codec") << "unknown-codec" << int(ErrorCategory::Unsupported);
    }

    void badInput() {
        QFETCH(QString, kind);
        QFETCH(int, category);
        const QDir dir(m_dir.path());
        QString path;
        if (kind == QLatin1String("missing")) {
            path = dir.filePath(QStringLiteral("nothing-here.mp4"));
        } else if (kind == QLatin1String("directory")) {
            path = m_dir.path();
        } else if (kind == QLatin1String("empty")) {
            path = writeFile(QStringLiteral("empty.mp4"), {});
        } else if (kind == QLatin1String("text")) {
            path = writeFile(QStringLiteral("notes.mp4"),
                             QByteArray("These are notes, not a video.\n").repeated(40));
        } else if (kind == QLatin1String("truncated")) {
            // Without +faststart the moov box is written last; the first half has none.
            const QString whole =
                fixture(QStringLiteral("whole.mp4"), {"-c:v", "libx264"}, QStringLiteral("format=yuv420p"));
            QFile file(whole);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            path = writeFile(QStringLiteral("truncated.mp4"), bytes.left(bytes.size() / 2));
        } else if (kind == QLatin1String("audio")) {
            path = dir.filePath(QStringLiteral("audio.m4a"));
            QCOMPARE(runFfmpeg({"-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", path}), QString());
        } else if (kind == QLatin1String("subtitles")) {
            path = writeFile(QStringLiteral("subtitles.mkv"), {});
            const QString srt =
                writeFile(QStringLiteral("subtitles.srt"), "1\n00:00:00,000 --> 00:00:01,000\nHello\n\n");
            QCOMPARE(runFfmpeg({"-i", srt, "-c:s", "srt", path}), QString());
        } else if (kind == QLatin1String("unknown-codec")) {
            // A video track whose FourCC no FFmpeg decoder knows: rename FFV1 inside the file.
            const QString known = fixture(QStringLiteral("known.mkv"), {"-c:v", "ffv1"}, {}, 5);
            QFile file(known);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QByteArray bytes = file.readAll();
            QVERIFY(bytes.contains("FFV1"));
            path = writeFile(QStringLiteral("unknown.mkv"), bytes.replace("FFV1", "QQV9"));
        }
        QVERIFY(!path.isEmpty());
        auto probed = MediaSource::probe(path);
        QVERIFY(!probed.ok());
        QCOMPARE(int(probed.error().category), category);
        QCOMPARE(probed.error().path, path);
        QVERIFY(!probed.error().message.isEmpty());
        auto decoder = VideoDecoder::open(path);
        QVERIFY(!decoder.ok());
        QCOMPARE(int(decoder.error().category), category);
    }

    void zeroFrameVideo() {
        const QString path = QDir(m_dir.path()).filePath(QStringLiteral("zero.mkv"));
        QCOMPARE(runFfmpeg({"-f", "lavfi", "-i", barCodeSource(1), "-frames:v", "0", "-c:v", "ffv1", path}),
                 QString());
        auto decoder = VideoDecoder::open(path);
        if (!decoder.ok()) {
            // Matroska without a single cluster ends inside its header: a categorised error naming the file.
            QCOMPARE(decoder.error().category, ErrorCategory::InvalidData);
            QCOMPARE(decoder.error().path, path);
            QVERIFY(decoder.error().message.contains(QStringLiteral("ends before")));
            return;
        }
        auto count = (*decoder)->frameCount();
        QVERIFY(count.ok());
        QCOMPARE(*count, qint64(0));
        auto frame = (*decoder)->frameAt(0);
        QVERIFY(!frame.ok());
        QCOMPARE(frame.error().category, ErrorCategory::InvalidArgument);
        auto next = (*decoder)->nextFrame();
        QVERIFY(next.ok());
        QVERIFY(!next->has_value());
    }

    void frameBeyondEndIsAnError() {
        const QString path = fixture(QStringLiteral("short.mkv"), {"-c:v", "ffv1"}, {}, 10);
        auto decoder = VideoDecoder::open(path);
        QVERIFY(decoder.ok());
        for (qint64 bad : {qint64(10), qint64(-1), qint64(1000000)}) {
            auto frame = (*decoder)->frameAt(bad);
            QVERIFY(!frame.ok());
            QCOMPARE(frame.error().category, ErrorCategory::InvalidArgument);
            QCOMPARE(frame.error().path, path);
            QVERIFY(frame.error().message.contains(QString::number(bad)));
        }
        QVERIFY((*decoder)->frameAt(9).ok());
    }

    void unusualSizes_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("2x2") << QSize(2, 2);
        QTest::newRow("1281x721") << QSize(1281, 721);
    }

    void unusualSizes() {
        QFETCH(QSize, size);
        const QString path =
            QDir(m_dir.path())
                .filePath(QStringLiteral("size-%1x%2.mp4").arg(size.width()).arg(size.height()));
        QCOMPARE(runFfmpeg({"-f", "lavfi", "-i", barCodeSource(5, 30, size), "-c:v", "libx264", "-pix_fmt",
                            "yuv444p", path}),
                 QString());
        auto info = MediaSource::probe(path);
        QVERIFY(info.ok());
        QCOMPARE(QSize(info->width, info->height), size);
        QCOMPARE(info->frameCount, qint64(5));
        auto decoder = VideoDecoder::open(path);
        QVERIFY(decoder.ok());
        auto frame = (*decoder)->frameAt(4);
        QVERIFY(frame.ok());
        FrameConverter converter;
        auto image = converter.toImage(*frame);
        QVERIFY(image.ok());
        QCOMPARE(image->size(), size);
        auto small = converter.toImage(*frame, QSize(64, 64));
        QVERIFY(small.ok());
        QVERIFY(small->width() <= 64 && small->height() <= 64);
        auto planes = converter.toFloatPlanes(*frame, QSize(7, 5), ResizeFilter::BilinearNoAntialias);
        QVERIFY(planes.ok());
        QCOMPARE(planes->values.size(), size_t(3 * 7 * 5));
    }

    void cancellation() {
        const QString path = fixture(QStringLiteral("cancel.mkv"), {"-c:v", "ffv1"}, {}, 10);
        VideoDecoder::Options options;
        options.cancel.cancel();
        auto cancelledOpen = VideoDecoder::open(path, options);
        QVERIFY(!cancelledOpen.ok());
        QCOMPARE(cancelledOpen.error().category, ErrorCategory::Cancelled);

        VideoDecoder::Options live;
        auto decoder = VideoDecoder::open(path, live);
        QVERIFY(decoder.ok());
        live.cancel.cancel();
        auto frame = (*decoder)->frameAt(5);
        QVERIFY(!frame.ok());
        QCOMPARE(frame.error().category, ErrorCategory::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestVideoDecoder)
#include "tst_videodecoder.moc"
