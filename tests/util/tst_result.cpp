#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QtTest>

#include <thread>

using namespace saccade;

class TestResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valueIsAccessible() {
        Result<QString> result(QStringLiteral("frame"));
        QVERIFY(result.ok());
        QCOMPARE(result.value(), QStringLiteral("frame"));
        QCOMPARE(result->size(), 5);
    }

    void errorCarriesPathAndMessage() {
        Result<int> result(Error::notFound(QStringLiteral("/v/missing.mp4"), QStringLiteral("no such file")));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().category, ErrorCategory::NotFound);
        QCOMPARE(result.error().toString(), QStringLiteral("/v/missing.mp4: no such file"));
    }

    void statusDefaultsToSuccess() {
        Status fine;
        QVERIFY(fine.ok());
        Status failed(Error::cancelled());
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().category, ErrorCategory::Cancelled);
        QCOMPARE(failed.error().toString(), QStringLiteral("cancelled"));
    }

    void cancellationIsSharedBetweenCopiesAndThreads() {
        CancellationToken token;
        CancellationToken copy = token;
        QVERIFY(!copy.isCancelled());
        std::thread worker([token]() mutable { token.cancel(); });
        worker.join();
        QVERIFY(copy.isCancelled());
        copy.reset();
        QVERIFY(!token.isCancelled());
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
