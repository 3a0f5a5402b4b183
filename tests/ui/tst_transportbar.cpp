#include "ui/transport/shuttle.h"
#include "ui/transport/timecodeedit.h"
#include "ui/transport/transportbar.h"

#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>

using saccade::FrameRate;
using saccade::Shuttle;
using saccade::TimecodeEdit;
using saccade::TransportBar;

class TransportBarTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void typedTimecodeSeeksToExactFrame() {
        TransportBar bar;
        bar.setFrameRate(FrameRate{30000, 1001});
        bar.setFrameCount(3000);
        bar.show();
        QSignalSpy seek(&bar, &TransportBar::seekRequested);
        TimecodeEdit* edit = bar.timecodeEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("00:00:10.010"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(seek.count(), 1);
        // 10.010 s at 29.97 fps is the first millisecond of frame 300.
        QCOMPARE(seek.first().first().toLongLong(), qint64(300));
    }

    void typedTimeBeyondEndIsClamped() {
        TransportBar bar;
        bar.setFrameRate(FrameRate{25, 1});
        bar.setFrameCount(100);
        QSignalSpy seek(&bar, &TransportBar::seekRequested);
        bar.timecodeEdit()->setText(QStringLiteral("01:00:00.000"));
        QTest::keyClick(bar.timecodeEdit(), Qt::Key_Return);
        QCOMPARE(seek.first().first().toLongLong(), qint64(99));
    }

    void invalidTimecodeDoesNotSeek() {
        TransportBar bar;
        bar.setFrameRate(FrameRate{25, 1});
        bar.setFrameCount(100);
        QSignalSpy seek(&bar, &TransportBar::seekRequested);
        bar.timecodeEdit()->setText(QStringLiteral("ten seconds"));
        QTest::keyClick(bar.timecodeEdit(), Qt::Key_Return);
        QCOMPARE(seek.count(), 0);
        QTest::keyClick(bar.timecodeEdit(), Qt::Key_Escape);
        QCOMPARE(bar.timecodeEdit()->text(), QStringLiteral("00:00:00.000"));
    }

    void positionUpdatesAllFields() {
        TransportBar bar;
        bar.setFrameRate(FrameRate{30000, 1001});
        bar.setFrameCount(1000);
        QSignalSpy seek(&bar, &TransportBar::seekRequested);
        bar.setCurrentFrame(30);
        QCOMPARE(bar.timecodeEdit()->text(), QStringLiteral("00:00:01.001"));
        QCOMPARE(bar.frameField()->value(), 30);
        QCOMPARE(bar.scrubber()->value(), 30);
        // Showing a position is not a request to go there.
        QCOMPARE(seek.count(), 0);
    }

    void scrubberAndFrameFieldRequestFrames() {
        TransportBar bar;
        bar.setFrameRate(FrameRate{25, 1});
        bar.setFrameCount(500);
        QSignalSpy seek(&bar, &TransportBar::seekRequested);
        bar.scrubber()->setValue(123);
        QCOMPARE(seek.last().first().toLongLong(), qint64(123));
        bar.frameField()->setValue(321);
        QCOMPARE(seek.last().first().toLongLong(), qint64(321));
        QCOMPARE(bar.scrubber()->maximum(), 499);
    }

    void emptyTransportIsDisabled() {
        TransportBar bar;
        QVERIFY(!bar.scrubber()->isEnabled());
        QSignalSpy seek(&bar, &TransportBar::seekRequested);
        bar.setFrameCount(10);
        QVERIFY(bar.scrubber()->isEnabled());
    }

    void shuttleDoublesAndReverses() {
        Shuttle shuttle;
        QCOMPARE(shuttle.forward(), 1.0);
        QCOMPARE(shuttle.forward(), 2.0);
        QCOMPARE(shuttle.forward(), 4.0);
        QCOMPARE(shuttle.backward(), -1.0);
        QCOMPARE(shuttle.backward(), -2.0);
        for (int index = 0; index < 10; ++index)
            shuttle.backward();
        QCOMPARE(shuttle.rate(), -Shuttle::kMaxRate);
        shuttle.stop();
        QCOMPARE(shuttle.forward(), 1.0);
    }
};

QTEST_MAIN(TransportBarTest)
#include "tst_transportbar.moc"
