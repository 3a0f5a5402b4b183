#include "core/inference/analysiscache.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace saccade;

namespace {

WindowCacheKey keyFor(qint64 start) {
    WindowCacheKey key;
    key.videoHash = QStringLiteral("sha256-sampled:abc");
    key.modelHash = QStringLiteral("sha256:def");
    key.parameters = QStringLiteral("research-k400 T4");
    key.startFrame = start;
    key.endFrame = start + 7;
    key.frames = {start, start + 2, start + 4, start + 6};
    return key;
}

WindowResult resultFor(const WindowCacheKey& key) {
    WindowResult result;
    result.windowIndex = 3;
    result.startFrame = key.startFrame;
    result.endFrame = key.endFrame;
    result.frames = key.frames;
    result.cropBoxes = {QRect(8, 0, 48, 48)};
    result.frameSize = QSize(64, 48);
    result.setLogits({1.0f, 3.0f, 2.0f}, {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, 2);
    result.spatial = FloatArray{{1, 2, 4, 2, 2}, std::vector<float>(32, 0.25f)};
    result.spatial.values[5] = 0.75f;
    result.rollout = FloatArray{{4, 2, 2}, std::vector<float>(16, 0.0625f)};
    return result;
}

void setAge(const QString& path, int secondsAgo) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-secondsAgo),
                             QFileDevice::FileModificationTime));
}

} // namespace

class TestAnalysisCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void missThenHit() {
        QTemporaryDir dir;
        AnalysisCache cache(dir.path());
        const WindowCacheKey key = keyFor(0);
        QVERIFY(!cache.load(key));
        const WindowResult stored = resultFor(key);
        QVERIFY(cache.store(key, stored).ok());
        const std::optional<WindowResult> loaded = cache.load(key);
        QVERIFY(loaded);
        QVERIFY(loaded->fromCache);
        QCOMPARE(loaded->frames, stored.frames);
        QCOMPARE(loaded->cropBoxes, stored.cropBoxes);
        QCOMPARE(loaded->frameSize, stored.frameSize);
        QCOMPARE(loaded->probabilities, stored.probabilities);
        QCOMPARE(loaded->top.size(), size_t(2));
        QCOMPARE(loaded->top[0].label, QStringLiteral("b"));
        QCOMPARE(loaded->spatial.shape, stored.spatial.shape);
        QCOMPARE(loaded->spatial.values, stored.spatial.values);
        QCOMPARE(loaded->rollout.values, stored.rollout.values);
        QVERIFY(loaded->temporal.shape.empty());

        // Any field of the key changes the entry.
        WindowCacheKey otherModel = key;
        otherModel.modelHash = QStringLiteral("sha256:other");
        QVERIFY(!cache.load(otherModel));
        WindowCacheKey otherParameters = key;
        otherParameters.parameters += QStringLiteral(" views3");
        QVERIFY(!cache.load(otherParameters));
        // Without hashes nothing is cached.
        WindowCacheKey anonymous = key;
        anonymous.modelHash.clear();
        QVERIFY(!cache.store(anonymous, stored).ok());
    }

    void corruptEntryIsDiscarded_data() {
        QTest::addColumn<int>("mode");
        QTest::newRow("flipped byte") << 0;
        QTest::newRow("truncated") << 1;
        QTest::newRow("empty") << 2;
    }
    void corruptEntryIsDiscarded() {
        QFETCH(int, mode);
        QTemporaryDir dir;
        AnalysisCache cache(dir.path());
        const WindowCacheKey key = keyFor(8);
        QVERIFY(cache.store(key, resultFor(key)).ok());
        const QString path = cache.entryPath(key);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        file.close();
        if (mode == 0)
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x40);
        else if (mode == 1)
            bytes.chop(10);
        else
            bytes.clear();
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes);
        file.close();
        QVERIFY(!cache.load(key));
        QVERIFY(!QFile::exists(path));
        // Recomputed and stored again, it is a hit.
        QVERIFY(cache.store(key, resultFor(key)).ok());
        QVERIFY(cache.load(key));
    }

    void evictsLeastRecentlyUsed() {
        QTemporaryDir dir;
        const WindowCacheKey first = keyFor(0), second = keyFor(8), third = keyFor(16);
        const qint64 entryBytes = AnalysisCache::serialize(resultFor(first)).size();
        AnalysisCache cache(dir.path(), entryBytes * 2 + entryBytes / 2);
        QVERIFY(cache.store(first, resultFor(first)).ok());
        QVERIFY(cache.store(second, resultFor(second)).ok());
        setAge(cache.entryPath(first), 300);
        setAge(cache.entryPath(second), 200);
        // A hit makes the first entry the most recent, so the second is evicted by the third.
        QVERIFY(cache.load(first));
        QVERIFY(cache.store(third, resultFor(third)).ok());
        QVERIFY(QFile::exists(cache.entryPath(first)));
        QVERIFY(!QFile::exists(cache.entryPath(second)));
        QVERIFY(QFile::exists(cache.entryPath(third)));
        QVERIFY(cache.sizeBytes() <= cache.maxBytes());
    }
};

QTEST_GUILESS_MAIN(TestAnalysisCache)
#include "tst_analysiscache.moc"
