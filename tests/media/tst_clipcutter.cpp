#include "mediafixtures.h"

#include "core/media/clipcutter.h"
#include "core/media/frameconverter.h"
#include "core/media/mediasource.h"
#include "core/media/videodecoder.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;
using namespace saccade::test;

namespace {

// The frame numbers the clip's frames show, in order.
QList<int> framesShown(const QString& path) {
    QList<int> shown;
    auto decoder = VideoDecoder::open(path);
    if (!decoder)
        return shown;
    FrameConverter converter;
    for (;;) {
        auto frame = (*decoder)->nextFrame();
        if (!frame || !*frame)
            break;
        auto image = converter.toImage(**frame);
        if (!image)
            break;
        shown << readBarCode(*image);
    }
    return shown;
}

QList<int> range(int from, int to) {
    QList<int> values;
    for (int i = from; i < to; ++i)
        values << i;
    return values;
}

} // namespace

class TestClipCutter : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_source;

private Q_SLOTS:
    void initTestCase() {
        if (ffmpegProgram().isEmpty())
            QSKIP("the ffmpeg program is needed to make fixtures");
        // Key frames every 10 frames, with B-frames, so copies must snap and reorder correctly.
        m_source =
            makeBarCodeVideo(QDir(m_dir.path()), QStringLiteral("source.mp4"),
                             {QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-g"),
                              QStringLiteral("10"), QStringLiteral("-keyint_min"), QStringLiteral("10"),
                              QStringLiteral("-sc_threshold"), QStringLiteral("0"), QStringLiteral("-bf"),
                              QStringLiteral("2"), QStringLiteral("-pix_fmt"), QStringLiteral("yuv444p")});
        QVERIFY(!m_source.isEmpty());
    }

    void streamCopySnapsToTheKeyFrame_data() {
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("end");
        QTest::addColumn<int>("firstShown");
        QTest::newRow("on a key frame") << 20 << 40 << 20;
        QTest::newRow("inside a GOP") << 25 << 47 << 20;
        QTest::newRow("to the end") << 81 << kFixtureFrames << 80;
        QTest::newRow("from the start") << 0 << 5 << 0;
    }

    void streamCopySnapsToTheKeyFrame() {
        QFETCH(int, start);
        QFETCH(int, end);
        QFETCH(int, firstShown);
        const QString out = m_dir.filePath(QStringLiteral("copy_%1_%2.mp4").arg(start).arg(end));
        Status cut = ClipCutter::cut({m_source, start, end, out, ClipCutMode::StreamCopy});
        QVERIFY2(cut.ok(), qPrintable(cut.ok() ? QString() : cut.error().toString()));
        // Starts on the key frame, shows every wanted frame once and in order, and keeps at most the
        // two B-frame references after the end.
        const QList<int> shown = framesShown(out);
        QVERIFY2(shown.size() >= end - firstShown && shown.size() <= end - firstShown + 2,
                 qPrintable(QString::number(shown.size())));
        QCOMPARE(shown, range(firstShown, firstShown + int(shown.size())));
        auto info = MediaSource::probe(out);
        QVERIFY(info.ok());
        QCOMPARE(info->frameCount, qint64(shown.size()));
    }

    void reencodeIsFrameExact() {
        const QString out = m_dir.filePath(QStringLiteral("reencoded.saccade-partial"));
        Status cut = ClipCutter::cut({m_source, 25, 47, out, ClipCutMode::Reencode});
        QVERIFY2(cut.ok(), qPrintable(cut.ok() ? QString() : cut.error().toString()));
        QCOMPARE(framesShown(out), range(25, 47));
        auto info = MediaSource::probe(out);
        QVERIFY(info.ok());
        QCOMPARE(info->container.contains(QStringLiteral("mp4")), true);
        QCOMPARE(info->fps, 30.0);
    }

    void badRequestsLeaveNoFile_data() {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("end");
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("category");
        QTest::newRow("end before start")
            << QString() << 30 << 20 << int(ClipCutMode::StreamCopy) << int(ErrorCategory::InvalidArgument);
        QTest::newRow("past the end, copy")
            << QString() << 80 << 91 << int(ClipCutMode::StreamCopy) << int(ErrorCategory::InvalidArgument);
        QTest::newRow("past the end, reencode")
            << QString() << 80 << 91 << int(ClipCutMode::Reencode) << int(ErrorCategory::InvalidArgument);
        QTest::newRow("missing source") << QStringLiteral("nowhere.mp4") << 0 << 5
                                        << int(ClipCutMode::StreamCopy) << int(ErrorCategory::NotFound);
    }

    void badRequestsLeaveNoFile() {
        QFETCH(QString, source);
        QFETCH(int, start);
        QFETCH(int, end);
        QFETCH(int, mode);
        QFETCH(int, category);
        const QString out = m_dir.filePath(QStringLiteral("bad.mp4"));
        Status cut = ClipCutter::cut({source.isEmpty() ? m_source : m_dir.filePath(source), start, end, out,
                                      static_cast<ClipCutMode>(mode)});
        QVERIFY(!cut.ok());
        QCOMPARE(int(cut.error().category), category);
        QVERIFY(!QFileInfo::exists(out));
    }

    void cancelledCutLeavesNoFile() {
        CancellationToken cancel;
        cancel.cancel();
        const QString out = m_dir.filePath(QStringLiteral("cancelled.mp4"));
        for (ClipCutMode mode : {ClipCutMode::StreamCopy, ClipCutMode::Reencode}) {
            Status cut = ClipCutter::cut({m_source, 10, 30, out, mode}, cancel);
            QVERIFY(!cut.ok());
            QCOMPARE(cut.error().category, ErrorCategory::Cancelled);
            QVERIFY(!QFileInfo::exists(out));
        }
    }
};

QTEST_GUILESS_MAIN(TestClipCutter)
#include "tst_clipcutter.moc"
