#include "ui/timeline/timelineview.h"

#include <QSignalSpy>
#include <QTest>

using saccade::SegmentEdge;
using saccade::TimelineSegment;
using saccade::TimelineSegmentState;
using saccade::TimelineView;

class TimelineViewTest : public QObject {
    Q_OBJECT
private:
    static TimelineSegment segment(const QString& id, qint64 start, qint64 end) {
        TimelineSegment result;
        result.id = id;
        result.startFrame = start;
        result.endFrame = end;
        result.label = QStringLiteral("walk");
        result.color = Qt::green;
        return result;
    }

    static int trackY(const TimelineView& view) { return view.trackRect().center().y(); }

private Q_SLOTS:
    void fitMapsWholeVideoToWidth() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(500);
        QCOMPARE(view.pixelsPerFrame(), 2.0);
        QCOMPARE(view.xForFrame(0), 0.0);
        QCOMPARE(view.xForFrame(250), 500.0);
        QCOMPARE(view.frameAtX(0), qint64(0));
        QCOMPARE(view.frameAtX(501), qint64(250));
        QCOMPARE(view.frameAtX(999), qint64(499));
        // Beyond the ends clamps to valid frames.
        QCOMPARE(view.frameAtX(-20), qint64(0));
        QCOMPARE(view.frameAtX(5000), qint64(499));
    }

    void mappingUnderZoomAndScroll_data() {
        QTest::addColumn<double>("pixelsPerFrame");
        QTest::addColumn<double>("firstFrame");
        QTest::newRow("x4") << 4.0 << 100.0;
        QTest::newRow("x10 far") << 10.0 << 900.0;
        QTest::newRow("fractional") << 2.5 << 333.0;
    }
    void mappingUnderZoomAndScroll() {
        QFETCH(double, pixelsPerFrame);
        QFETCH(double, firstFrame);
        TimelineView view;
        view.resize(800, view.sizeHint().height());
        view.setFrameCount(2000);
        view.setPixelsPerFrame(pixelsPerFrame, 0);
        view.setFirstVisibleFrame(firstFrame);
        QCOMPARE(view.pixelsPerFrame(), pixelsPerFrame);
        QCOMPARE(view.firstVisibleFrame(), firstFrame);
        for (qint64 frame = qint64(firstFrame); frame < qint64(view.lastVisibleFrame()); frame += 7) {
            const double x = view.xForFrame(double(frame));
            QCOMPARE(x, (frame - firstFrame) * pixelsPerFrame);
            // The middle of a frame's interval maps back to that frame.
            QCOMPARE(view.frameAtX(x + pixelsPerFrame / 2), frame);
        }
    }

    void wheelZoomKeepsFrameUnderCursor() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(10000);
        const QPoint cursor(700, trackY(view));
        const double frameBefore = view.firstVisibleFrame() + cursor.x() / view.pixelsPerFrame();
        QWheelEvent wheel(cursor, view.mapToGlobal(cursor), QPoint(), QPoint(0, 120 * 3), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QVERIFY(view.pixelsPerFrame() > 0.1 * 1.9);
        const double frameAfter = view.firstVisibleFrame() + cursor.x() / view.pixelsPerFrame();
        QVERIFY(qAbs(frameAfter - frameBefore) < 1e-6);
        // Zooming out past the whole video stops at fit.
        QWheelEvent outWheel(cursor, view.mapToGlobal(cursor), QPoint(), QPoint(0, -120 * 40), Qt::NoButton,
                             Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &outWheel);
        QCOMPARE(view.pixelsPerFrame(), view.minPixelsPerFrame());
        QCOMPARE(view.firstVisibleFrame(), 0.0);
    }

    void clickSeeksToFrameUnderCursor() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(100);
        QSignalSpy seek(&view, &TimelineView::seekRequested);
        QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, QPoint(455, view.rulerRect().center().y()));
        QCOMPARE(seek.count(), 1);
        QCOMPARE(seek.first().first().toLongLong(), qint64(45));
    }

    void clickOnSegmentSelectsIt() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(100);
        view.setSegments({segment(QStringLiteral("a"), 10, 30), segment(QStringLiteral("b"), 50, 80)});
        QSignalSpy selected(&view, &TimelineView::segmentSelected);
        QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, QPoint(650, trackY(view)));
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().first().toString(), QStringLiteral("b"));
        QCOMPARE(view.selectedSegment(), QStringLiteral("b"));
    }

    void draggingEndEdgeRequestsResize() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(100); // 10 px per frame
        view.setSegments({segment(QStringLiteral("a"), 10, 30)});
        QSignalSpy resize(&view, &TimelineView::segmentResizeRequested);
        QSignalSpy finished(&view, &TimelineView::segmentResizeFinished);
        QSignalSpy seek(&view, &TimelineView::seekRequested);
        const int y = trackY(view);
        QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, QPoint(301, y));
        QTest::mouseMove(&view, QPoint(352, y));
        QTest::mouseMove(&view, QPoint(419, y));
        QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, QPoint(419, y));
        QVERIFY(resize.count() >= 1);
        const QList<QVariant> last = resize.last();
        QCOMPARE(last.at(0).toString(), QStringLiteral("a"));
        QCOMPARE(last.at(1).toLongLong(), qint64(10));
        QCOMPARE(last.at(2).toLongLong(), qint64(42));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(seek.count(), 0);
    }

    void draggingStartEdgeCannotCrossEnd() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(100);
        view.setSegments({segment(QStringLiteral("a"), 10, 30)});
        QSignalSpy resize(&view, &TimelineView::segmentResizeRequested);
        const int y = trackY(view);
        QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, QPoint(99, y));
        QTest::mouseMove(&view, QPoint(150, y));
        QCOMPARE(resize.last().at(1).toLongLong(), qint64(15));
        QTest::mouseMove(&view, QPoint(900, y));
        QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, QPoint(900, y));
        QCOMPARE(resize.last().at(1).toLongLong(), qint64(29));
        QCOMPARE(resize.last().at(2).toLongLong(), qint64(30));
    }

    void pressWithoutMoveIsNoResize() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(100);
        view.setSegments({segment(QStringLiteral("a"), 10, 30)});
        QSignalSpy resize(&view, &TimelineView::segmentResizeRequested);
        QSignalSpy finished(&view, &TimelineView::segmentResizeFinished);
        QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, QPoint(100, trackY(view)));
        QCOMPARE(resize.count(), 0);
        QCOMPARE(finished.count(), 0);
    }

    void thumbnailFramesFollowZoom() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(1000);
        const QVector<qint64> fitted = view.wantedThumbnailFrames();
        QVERIFY(!fitted.isEmpty());
        QCOMPARE(fitted.first(), qint64(0));
        for (int index = 1; index < fitted.size(); ++index)
            QVERIFY(fitted[index] > fitted[index - 1]);
        view.setPixelsPerFrame(20.0, 0);
        const QVector<qint64> zoomed = view.wantedThumbnailFrames();
        // Zoomed in, neighbouring thumbnails are only a few frames apart.
        QVERIFY(zoomed.size() >= 2);
        QVERIFY(zoomed[1] - zoomed[0] < fitted[1] - fitted[0]);
    }

    void visibleRangeSignalTracksScroll() {
        TimelineView view;
        view.resize(1000, view.sizeHint().height());
        view.setFrameCount(1000);
        view.setPixelsPerFrame(4.0, 0);
        QSignalSpy range(&view, &TimelineView::visibleRangeChanged);
        view.setFirstVisibleFrame(200);
        QCOMPARE(range.count(), 1);
        QCOMPARE(range.first().at(0).toDouble(), 200.0);
        QCOMPARE(range.first().at(1).toDouble(), 450.0);
        // Cannot scroll past the end.
        view.setFirstVisibleFrame(990);
        QCOMPARE(view.firstVisibleFrame(), 750.0);
    }

    void paintsEveryState() {
        TimelineView view;
        view.resize(800, view.sizeHint().height());
        view.setFrameCount(300);
        QVector<TimelineSegment> segments;
        const TimelineSegmentState states[] = {TimelineSegmentState::Manual, TimelineSegmentState::Proposed,
                                               TimelineSegmentState::Accepted, TimelineSegmentState::Rejected,
                                               TimelineSegmentState::Edited};
        int index = 0;
        for (TimelineSegmentState state : states) {
            TimelineSegment item = segment(QString::number(index), index * 60, index * 60 + 50);
            item.state = state;
            item.confidence = 0.8;
            segments.append(item);
            ++index;
        }
        view.setSegments(segments);
        view.setSelectedSegment(QStringLiteral("1"));
        view.setMarks(20, 80);
        view.setSampledFrames({0, 8, 16, 24});
        view.setAnalysedRanges({{0, 100}});
        view.setPendingRanges({{100, 300}});
        view.setThumbnail(0, QImage(64, 36, QImage::Format_RGB32));
        const QImage shot = view.grab().toImage();
        QCOMPARE(shot.size(), view.size() * view.devicePixelRatio());
        // The playhead at frame 0 is drawn in its colour at the top-left.
        QCOMPARE(shot.pixelColor(0, 2).red() > 150, true);
    }
};

QTEST_MAIN(TimelineViewTest)
#include "tst_timelineview.moc"
