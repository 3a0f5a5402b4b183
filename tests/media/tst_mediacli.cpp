#include "mediafixtures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade::test;

// The probe and frames commands of the real saccade-cli binary: the contract scripts rely on.
class TestMediaCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_video;

    struct Run {
        int exitCode = -1;
        QByteArray out;
        QString err;
    };

    static Run run(const QStringList& arguments) {
        QProcess process;
        process.start(qEnvironmentVariable("SACCADE_CLI"), arguments);
        Run result;
        if (!process.waitForFinished(60000))
            return result;
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        result.out = process.readAllStandardOutput();
        result.err = QString::fromUtf8(process.readAllStandardError());
        return result;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("SACCADE_CLI")),
                 "SACCADE_CLI must name the built saccade-cli");
        QVERIFY(m_dir.isValid());
        QVERIFY(!ffmpegProgram().isEmpty());
        m_video =
            makeBarCodeVideo(QDir(m_dir.path()), QStringLiteral("clip.mkv"),
                             {"-c:v", "libx264", "-bf", "3", "-g", "24"}, QStringLiteral("format=yuv420p"));
        QVERIFY(!m_video.isEmpty());
    }

    void probeJson() {
        const Run result = run({"probe", m_video, "--json"});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        for (const char* key : {"path", "container", "codec", "width", "height", "rotation", "fps",
                                "frame_count", "frame_count_exact", "duration_s", "pixel_format"})
            QVERIFY2(json.contains(QLatin1String(key)), key);
        QCOMPARE(json.value("path").toString(), m_video);
        QCOMPARE(json.value("container").toString(), QStringLiteral("matroska,webm"));
        QCOMPARE(json.value("codec").toString(), QStringLiteral("h264"));
        QCOMPARE(json.value("width").toInt(), kFixtureWidth);
        QCOMPARE(json.value("height").toInt(), kFixtureHeight);
        QCOMPARE(json.value("rotation").toInt(), 0);
        QCOMPARE(json.value("fps").toDouble(), 30.0);
        QCOMPARE(json.value("frame_count").toInt(), kFixtureFrames);
        QCOMPARE(json.value("frame_count_exact").toBool(), true);
        QVERIFY(qAbs(json.value("duration_s").toDouble() - 3.0) < 0.05);
        QCOMPARE(json.value("pixel_format").toString(), QStringLiteral("yuv420p"));
    }

    void probeSummary() {
        const Run result = run({"probe", m_video});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("128x96"));
        QVERIFY(result.out.contains("90 (exact)"));
    }

    void framesAreWrittenFrameExactly() {
        const QString out = QDir(m_dir.path()).filePath(QStringLiteral("frames"));
        const Run result = run({"frames", m_video, "--at", "0,17,63,89", "--out", out});
        QCOMPARE(result.exitCode, 0);
        for (int k : {0, 17, 63, 89}) {
            const QImage image(
                QDir(out).filePath(QStringLiteral("frame_%1.png").arg(k, 6, 10, QLatin1Char('0'))));
            QVERIFY2(!image.isNull(), qPrintable(QString::number(k)));
            QCOMPARE(image.size(), QSize(kFixtureWidth, kFixtureHeight));
            QCOMPARE(readBarCode(image), k);
        }
    }

    void frameBeyondTheEndIsOneClearLine() {
        const QString out = QDir(m_dir.path()).filePath(QStringLiteral("beyond"));
        const Run result = run({"frames", m_video, "--at", "3,90", "--out", out});
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(result.err.contains(m_video) &&
                     result.err.contains(QStringLiteral("frame 90 is beyond the end")),
                 qPrintable(result.err));
        // Nothing is written when a number is bad.
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("frame_000003.png"))));
    }

    void badFilesFailWithOneLine_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        QTest::newRow("missing") << "missing.mp4" << QByteArray() << "file not found";
        QTest::newRow("text") << "notes.mp4" << QByteArray("just text\n").repeated(50)
                              << "not a readable media file";
    }

    void badFilesFailWithOneLine() {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        const QString path = QDir(m_dir.path()).filePath(name);
        if (!content.isEmpty()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        for (const QStringList& arguments :
             {QStringList{"probe", path, "--json"},
              QStringList{"frames", path, "--at", "0", "--out", m_dir.path()}}) {
            const Run result = run(arguments);
            QCOMPARE(result.exitCode, 1);
            QCOMPARE(result.err.count(QLatin1Char('\n')), 1);
            QVERIFY2(result.err.startsWith(QStringLiteral("saccade-cli: ") + path + QStringLiteral(": ")),
                     qPrintable(result.err));
            QVERIFY2(result.err.contains(problem), qPrintable(result.err));
        }
    }

    void benchDecodeReportsFigures() {
        const Run result = run({"bench", "decode", m_video, "--json", "--seeks", "5"});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(json.value("frames").toInt(), kFixtureFrames);
        QCOMPARE(json.value("lost_frames").toInt(), 0);
        QCOMPARE(json.value("seeks").toInt(), 5);
        // x264 may start a GOP early at a scene cut, never later than -g.
        QVERIFY(json.value("longest_gop_frames").toInt() > 0 &&
                json.value("longest_gop_frames").toInt() <= 24);
        for (const char* key :
             {"decode_fps", "ffmpeg_fps", "ratio_vs_ffmpeg", "seek_p50_ms", "seek_p95_ms", "peak_rss_mb"})
            QVERIFY2(json.value(QLatin1String(key)).toDouble() > 0.0, key);
    }
};

QTEST_GUILESS_MAIN(TestMediaCli)
#include "tst_mediacli.moc"
