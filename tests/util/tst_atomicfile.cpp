#include "core/util/atomicfile.h"
#include "core/util/npy.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace saccade;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

// Lowers this process's file-size limit, so that any write past `bytes` fails with EFBIG as a real
// device error would (SIGXFSZ ignored so the write reports the error instead of killing the test).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &m_saved);
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = m_saved;
        limit.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_previousHandler);
    }

private:
    rlimit m_saved{};
    void (*m_previousHandler)(int) = nullptr;
};

// A 256 KiB tmpfs mounted for one test (needs root; CI runs as root).
class SmallDisk {
public:
    SmallDisk() {
        if (::geteuid() != 0 || !m_dir.isValid())
            return;
        m_mounted =
            ::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", 0, "size=256k") == 0;
    }
    ~SmallDisk() {
        if (m_mounted)
            ::umount2(QFile::encodeName(m_dir.path()).constData(), MNT_DETACH);
    }
    bool mounted() const { return m_mounted; }
    QString path(const QString& name) const { return m_dir.filePath(name); }
    // Fills the disk until fewer than `leave` bytes remain.
    void fillLeaving(qint64 leave) {
        QFile filler(path(QStringLiteral("filler")));
        filler.open(QIODevice::WriteOnly);
        const QByteArray page(4096, 'f');
        while (filler.write(page) == page.size() && filler.flush()) {
        }
        filler.close();
        // Free pages again until `leave` is available (tmpfs frees whole pages).
        const qint64 size = QFileInfo(path(QStringLiteral("filler"))).size();
        filler.resize(std::max<qint64>(0, size - leave));
    }

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
};

QStringList leftovers(const QString& dir) {
    return QDir(dir).entryList(QStringList{QStringLiteral("*.saccade-tmp-*")}, QDir::Files | QDir::Hidden);
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replacesTheFileAndKeepsItsPermissions() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        QVERIFY(writeFileAtomically(path, "old").ok());
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(writeFileAtomically(path, "new contents").ok());
        QCOMPARE(readAll(path), QByteArray("new contents"));
        struct stat info {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        QVERIFY(leftovers(dir.path()).isEmpty());
    }

    void injectedWriteFailureKeepsTheOldFileAndNamesTheReason() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.saccade"));
        QVERIFY(writeFileAtomically(path, "old").ok());
        Status written;
        {
            FileSizeLimit limit(4096);
            written = writeFileAtomically(path, QByteArray(100000, 'x'));
        }
        QVERIFY(!written.ok());
        QCOMPARE(written.error().category, ErrorCategory::Io);
        QVERIFY2(written.error().toString().contains(QStringLiteral("File too large")),
                 qPrintable(written.error().toString()));
        QVERIFY(written.error().toString().startsWith(path));
        QCOMPARE(readAll(path), QByteArray("old"));
        QVERIFY(leftovers(dir.path()).isEmpty());
    }

    void injectedWriteFailureIsReportedByTheStagingWriterAndNpy() {
        QTemporaryDir dir;
        FileSizeLimit limit(4096);
        Status staged = writeFileDurably(dir.filePath(QStringLiteral("a.csv")), QByteArray(100000, 'x'));
        QVERIFY(!staged.ok());
        QVERIFY(staged.error().toString().contains(QStringLiteral("File too large")));
        FloatArray array;
        array.shape = {100, 100};
        array.values.assign(10000, 1.0f);
        const QString npy = dir.filePath(QStringLiteral("m.npy"));
        Status saved = writeNpy(npy, array);
        QVERIFY(!saved.ok());
        QVERIFY(!QFile::exists(npy));
    }

    void fullDiskKeepsTheOldFileAndSaysNoSpace() {
        SmallDisk disk;
        if (!disk.mounted())
            QSKIP(
                "mounting a small tmpfs needs root (CI runs as root); the injected failure above still runs");
        const QString path = disk.path(QStringLiteral("p.saccade"));
        const QByteArray old(6000, 'o');
        QVERIFY(writeFileAtomically(path, old).ok());
        // One page free, then three: the cases that produced a 0-byte and a truncated project.
        for (qint64 freeBytes : {qint64(4096), qint64(3 * 4096)}) {
            disk.fillLeaving(freeBytes);
            Status written = writeFileAtomically(path, QByteArray(64 * 1024, 'n'));
            QVERIFY(!written.ok());
            QVERIFY2(written.error().toString().contains(QStringLiteral("No space left on device")),
                     qPrintable(written.error().toString()));
            QCOMPARE(readAll(path), old);
            QVERIFY(leftovers(QFileInfo(path).absolutePath()).isEmpty());
            QFile::remove(disk.path(QStringLiteral("filler")));
        }
        QVERIFY(writeFileAtomically(path, "fits").ok());
        QCOMPARE(readAll(path), QByteArray("fits"));
    }

    void refusesToReplaceSomethingThatIsNotAFile() {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("sub")));
        Status written = writeFileAtomically(dir.filePath(QStringLiteral("sub")), "x");
        QVERIFY(!written.ok());
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("sub"))).isDir());
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
