#include "core/util/datapaths.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

// Where installed programs and programs run from the build tree look for the bundled data.
class TestDataPaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { qunsetenv("SACCADE_DATA_DIR"); }
    void cleanup() { qunsetenv("SACCADE_DATA_DIR"); }

    void installedProgramReadsShareBesideItsPrefix() {
        QTemporaryDir prefix;
        QVERIFY(prefix.isValid());
        QVERIFY(QDir(prefix.path()).mkpath(QStringLiteral("bin")));
        QVERIFY(QDir(prefix.path()).mkpath(QStringLiteral("share/saccade")));
        QCOMPARE(dataDirectoryFor(prefix.filePath(QStringLiteral("bin"))),
                 QDir::cleanPath(prefix.filePath(QStringLiteral("share/saccade"))));
    }

    void programWithoutInstalledDataReadsTheSourceTree() {
        QTemporaryDir prefix;
        QVERIFY(prefix.isValid());
        QVERIFY(QDir(prefix.path()).mkpath(QStringLiteral("bin")));
        QCOMPARE(dataDirectoryFor(prefix.filePath(QStringLiteral("bin"))), sourceResources());
    }

    void programInTheBuildTreeReadsTheSourceTree() { QCOMPARE(dataDirectory(), sourceResources()); }

    void environmentOverridesBoth() {
        QTemporaryDir data;
        QVERIFY(data.isValid());
        qputenv("SACCADE_DATA_DIR", data.path().toLocal8Bit());
        QCOMPARE(dataDirectory(), data.path());
        QCOMPARE(dataFile(QStringLiteral("models/demo")), data.filePath(QStringLiteral("models/demo")));
    }

private:
    static QString sourceResources() {
        const QString source = qEnvironmentVariable("SACCADE_SOURCE_DIR");
        if (source.isEmpty())
            qFatal("SACCADE_SOURCE_DIR is not set (CTest sets it)");
        return QDir::cleanPath(source + QStringLiteral("/resources"));
    }
};

QTEST_GUILESS_MAIN(TestDataPaths)
#include "tst_datapaths.moc"
