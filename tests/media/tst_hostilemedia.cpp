// Crafted videos whose headers lie (huge frame counts or durations) and files that are not files:
// each must give a clear error or a correct result, never an abort or a blocked open.
#include "mediafixtures.h"

#include "core/media/mediasource.h"
#include "core/media/videodecoder.h"
#include "core/util/filehash.h"
#include "core/util/filereading.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <sys/stat.h>

using namespace saccade;
using namespace saccade::test;

namespace {

// Replaces `size` bytes at the first occurrence of `marker` + `skip` with `bytes`.
bool patch(const QString& path, const QByteArray& marker, int skip, const QByteArray& bytes) {
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return false;
    QByteArray data = file.readAll();
    const qsizetype at = data.indexOf(marker);
    if (at < 0)
        return false;
    data.replace(at + skip, bytes.size(), bytes);
    file.seek(0);
    return file.write(data) == data.size();
}

QByteArray bigEndianDouble(double value) {
    quint64 bits = 0;
    std::memcpy(&bits, &value, sizeof(bits));
    QByteArray bytes;
    for (int i = 7; i >= 0; --i)
        bytes.append(static_cast<char>((bits >> (8 * i)) & 0xff));
    return bytes;
}

} // namespace

class TestHostileMedia : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (ffmpegProgram().isEmpty())
            QSKIP("the ffmpeg program is needed to make the fixtures");
    }

    void sttsDeclaringTwoBillionSamples() {
        QTemporaryDir dir;
        const QString path = makeBarCodeVideo(QDir(dir.path()), QStringLiteral("stts.mp4"),
                                              {QStringLiteral("-c:v"), QStringLiteral("mpeg4")});
        QVERIFY(!path.isEmpty());
        // stts: size, 'stts', version+flags, entry count, then the first entry's sample count.
        QVERIFY(patch(path, "stts", 12, QByteArray::fromHex("7fffffff")));
        for (ProbeDepth depth : {ProbeDepth::Header, ProbeDepth::CountPackets}) {
            Result<VideoInfo> info = MediaSource::probe(path, depth);
            if (info.ok())
                QVERIFY(info->frameCount >= 0);
            else
                QVERIFY(!info.error().message.isEmpty());
        }
        Result<VideoInfo> counted = MediaSource::probe(path, ProbeDepth::CountPackets);
        if (counted.ok())
            QCOMPARE(counted->frameCount, qint64(kFixtureFrames));
    }

    void matroskaWithAHugeDuration_data() {
        QTest::addColumn<double>("duration");
        QTest::newRow("1e300") << 1e300;
        QTest::newRow("1e15") << 1e15;
        QTest::newRow("nan") << std::nan("");
    }

    void matroskaWithAHugeDuration() {
        QFETCH(double, duration);
        QTemporaryDir dir;
        const QString path = makeBarCodeVideo(QDir(dir.path()), QStringLiteral("long.mkv"),
                                              {QStringLiteral("-c:v"), QStringLiteral("mpeg4")});
        QVERIFY(!path.isEmpty());
        // Segment Info's Duration element (0x4489), an 8-byte float.
        QVERIFY(patch(path, QByteArray::fromHex("448988"), 3, bigEndianDouble(duration)));
        Result<VideoInfo> header = MediaSource::probe(path, ProbeDepth::Header);
        if (header.ok())
            QVERIFY(header->frameCount >= 0 && header->frameCount < qint64(1) << 50);
        Result<VideoInfo> counted = MediaSource::probe(path, ProbeDepth::CountPackets);
        QVERIFY2(counted.ok(), qPrintable(counted.ok() ? QString() : counted.error().toString()));
        QCOMPARE(counted->frameCount, qint64(kFixtureFrames));
        auto decoder = VideoDecoder::open(path);
        QVERIFY(decoder.ok());
        QVERIFY((*decoder)->frameAt(kFixtureFrames - 1).ok());
    }

    void fifoIsRefusedWithoutBlocking() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("pipe.mp4"));
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
        Result<VideoInfo> info = MediaSource::probe(path, ProbeDepth::Header);
        QVERIFY(!info.ok());
        QVERIFY2(info.error().message.contains(QStringLiteral("not a regular file")),
                 qPrintable(info.error().message));
        QVERIFY(!VideoDecoder::open(path).ok());
        QVERIFY(!openFileForReading(path).ok());
        QVERIFY(!sampledContentHash(path).ok());
        QVERIFY(!fullFileSha256(path).ok());
    }
};

QTEST_GUILESS_MAIN(TestHostileMedia)
#include "tst_hostilemedia.moc"
