#include "ui/settings/appsettings.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using saccade::AppSettings;

class AppSettingsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsWhenEmpty() {
        QTemporaryDir dir;
        auto settings = AppSettings::fromIniFile(dir.filePath(QStringLiteral("s.ini")));
        QCOMPARE(settings->playbackSpeed(), 1.0);
        QCOMPARE(settings->overlayOpacity(), 0.5);
        QVERIFY(settings->hudVisible());
        QVERIFY(settings->recentFiles().isEmpty());
        QVERIFY(settings->windowGeometry().isEmpty());
        QCOMPARE(settings->lastOpenDirectory(), QDir::homePath());
    }

    void valuesSurviveReopen() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.ini"));
        {
            auto settings = AppSettings::fromIniFile(path);
            settings->setWindowGeometry(QByteArray("geometry-bytes"));
            settings->setWindowState(QByteArray("\x01\x02state", 7));
            settings->setPlaybackSpeed(2.0);
            settings->setOverlayOpacity(0.25);
            settings->setHudVisible(false);
            settings->setLastOpenDirectory(dir.path());
            settings->addRecentFile(dir.filePath(QStringLiteral("a.mp4")));
            settings->addRecentFile(dir.filePath(QStringLiteral("b.mp4")));
            settings->sync();
        }
        auto settings = AppSettings::fromIniFile(path);
        QCOMPARE(settings->windowGeometry(), QByteArray("geometry-bytes"));
        QCOMPARE(settings->windowState(), QByteArray("\x01\x02state", 7));
        QCOMPARE(settings->playbackSpeed(), 2.0);
        QCOMPARE(settings->overlayOpacity(), 0.25);
        QVERIFY(!settings->hudVisible());
        QCOMPARE(settings->lastOpenDirectory(), dir.path());
        QCOMPARE(settings->recentFiles(),
                 (QStringList{dir.filePath(QStringLiteral("b.mp4")), dir.filePath(QStringLiteral("a.mp4"))}));
    }

    void recentFilesMoveToFrontAndAreBounded() {
        QTemporaryDir dir;
        auto settings = AppSettings::fromIniFile(dir.filePath(QStringLiteral("s.ini")));
        for (int index = 0; index < AppSettings::kMaxRecentFiles + 5; ++index)
            settings->addRecentFile(dir.filePath(QStringLiteral("%1.mp4").arg(index)));
        QCOMPARE(settings->recentFiles().size(), AppSettings::kMaxRecentFiles);
        settings->addRecentFile(dir.filePath(QStringLiteral("10.mp4")));
        QCOMPARE(settings->recentFiles().first(), dir.filePath(QStringLiteral("10.mp4")));
        QCOMPARE(settings->recentFiles().count(dir.filePath(QStringLiteral("10.mp4"))), 1);
    }

    void invalidValuesAreClampedOrDefaulted() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.ini"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[playback]\nspeed=fast\n[overlay]\nopacity=7\n[files]\nlastDirectory=/no/such/dir\n");
        file.close();
        auto settings = AppSettings::fromIniFile(path);
        QCOMPARE(settings->playbackSpeed(), 1.0);
        QCOMPARE(settings->overlayOpacity(), 1.0);
        QCOMPARE(settings->lastOpenDirectory(), QDir::homePath());
        settings->setPlaybackSpeed(1000.0);
        QCOMPARE(settings->playbackSpeed(), AppSettings::kMaxPlaybackSpeed);
    }
};

QTEST_MAIN(AppSettingsTest)
#include "tst_appsettings.moc"
