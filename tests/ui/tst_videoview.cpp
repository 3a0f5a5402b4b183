#include "ui/video/videoview.h"

#include <QSignalSpy>
#include <QTest>

using saccade::VideoView;

class VideoViewTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void imageRectKeepsDisplayAspect_data() {
        QTest::addColumn<QSize>("viewSize");
        QTest::addColumn<QSize>("frameSize");
        QTest::addColumn<double>("sampleAspect");
        QTest::addColumn<QRectF>("expected");
        QTest::newRow("16:9 in wide view")
            << QSize(1000, 400) << QSize(1920, 1080) << 1.0 << QRectF(500 - 355.5555555, 0, 711.111111, 400);
        QTest::newRow("16:9 in tall view")
            << QSize(400, 1000) << QSize(1920, 1080) << 1.0 << QRectF(0, 500 - 112.5, 400, 225);
        // DVD PAL 16:9: 720x576 with 64:45 pixels is 1024x576 on screen.
        QTest::newRow("anamorphic") << QSize(1024, 1000) << QSize(720, 576) << 64.0 / 45.0
                                    << QRectF(0, 500 - 288, 1024, 576);
        QTest::newRow("square in square")
            << QSize(300, 300) << QSize(50, 50) << 1.0 << QRectF(0, 0, 300, 300);
    }
    void imageRectKeepsDisplayAspect() {
        QFETCH(QSize, viewSize);
        QFETCH(QSize, frameSize);
        QFETCH(double, sampleAspect);
        QFETCH(QRectF, expected);
        VideoView view;
        view.resize(viewSize);
        view.setFrameGeometry(frameSize, sampleAspect);
        // The image's own size must not matter: frames may be decoded smaller.
        view.setImage(QImage(frameSize / 2, QImage::Format_RGB32));
        const QRectF rect = view.imageRect();
        QVERIFY2(qAbs(rect.x() - expected.x()) < 0.01 && qAbs(rect.y() - expected.y()) < 0.01 &&
                     qAbs(rect.width() - expected.width()) < 0.01 &&
                     qAbs(rect.height() - expected.height()) < 0.01,
                 qPrintable(QStringLiteral("%1,%2 %3x%4")
                                .arg(rect.x())
                                .arg(rect.y())
                                .arg(rect.width())
                                .arg(rect.height())));
        const double displayAspect = frameSize.width() * sampleAspect / frameSize.height();
        QVERIFY(qAbs(rect.width() / rect.height() - displayAspect) < 1e-6);
    }

    void imageWithoutGeometryUsesItsOwnSize() {
        VideoView view;
        view.resize(800, 800);
        view.setImage(QImage(400, 200, QImage::Format_RGB32));
        QCOMPARE(view.imageRect(), QRectF(0, 200, 800, 400));
        QCOMPARE(view.frameSize(), QSize(400, 200));
    }

    void frameAndWidgetCoordinatesRoundTrip() {
        VideoView view;
        view.resize(960, 600);
        view.setFrameGeometry(QSize(1920, 1080), 1.0);
        view.setImage(QImage(960, 540, QImage::Format_RGB32));
        QCOMPARE(view.frameToWidget(QPointF(0, 0)), QPointF(0, 30));
        QCOMPARE(view.frameToWidget(QPointF(1920, 1080)), QPointF(960, 570));
        view.setZoom(3.0);
        const QPointF frame(700, 300);
        const QPointF back = view.widgetToFrame(view.frameToWidget(frame));
        QVERIFY(qAbs(back.x() - frame.x()) < 1e-6 && qAbs(back.y() - frame.y()) < 1e-6);
    }

    void wheelZoomKeepsPointUnderCursor() {
        VideoView view;
        view.resize(800, 450);
        view.setFrameGeometry(QSize(1600, 900), 1.0);
        view.setImage(QImage(800, 450, QImage::Format_RGB32));
        QSignalSpy zoomed(&view, &VideoView::zoomChanged);
        const QPointF cursor(600, 100);
        const QPointF frameBefore = view.widgetToFrame(cursor);
        QWheelEvent wheel(cursor, view.mapToGlobal(cursor), QPoint(), QPoint(0, 240), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QCOMPARE(zoomed.count(), 1);
        QVERIFY(view.zoom() > 1.5);
        const QPointF frameAfter = view.widgetToFrame(cursor);
        QVERIFY(qAbs(frameAfter.x() - frameBefore.x()) < 1e-6 &&
                qAbs(frameAfter.y() - frameBefore.y()) < 1e-6);
        // Aspect ratio is kept under zoom.
        QVERIFY(qAbs(view.imageRect().width() / view.imageRect().height() - 16.0 / 9.0) < 1e-9);
        view.fitToWindow();
        QCOMPARE(view.zoom(), 1.0);
        QCOMPARE(view.imageRect(), QRectF(0, 0, 800, 450));
    }

    void plainWheelStepsFrames() {
        VideoView view;
        view.resize(400, 300);
        view.setImage(QImage(40, 30, QImage::Format_RGB32));
        QSignalSpy steps(&view, &VideoView::stepRequested);
        const QPointF cursor(100, 100);
        QWheelEvent wheel(cursor, view.mapToGlobal(cursor), QPoint(), QPoint(0, -240), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QCOMPARE(steps.count(), 1);
        QCOMPARE(steps.first().first().toInt(), 2);
    }

    void dragPansWhenZoomed() {
        VideoView view;
        view.resize(800, 450);
        view.setFrameGeometry(QSize(1600, 900), 1.0);
        view.setImage(QImage(800, 450, QImage::Format_RGB32));
        view.setZoom(2.0);
        const QRectF before = view.imageRect();
        QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, QPoint(400, 200));
        QTest::mouseMove(&view, QPoint(450, 230));
        QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, QPoint(450, 230));
        QCOMPARE(view.imageRect().topLeft(), before.topLeft() + QPointF(50, 30));
    }

    void overlayIsDrawnInsideCropBox() {
        VideoView view;
        view.resize(400, 200);
        view.setFrameGeometry(QSize(400, 200), 1.0);
        QImage black(400, 200, QImage::Format_RGB32);
        black.fill(Qt::black);
        view.setImage(black);
        view.setHudVisible(false);
        QImage heat(2, 2, QImage::Format_ARGB32);
        heat.fill(QColor(255, 0, 0, 255));
        view.setOverlay(heat, QRectF(100, 0, 200, 200));
        view.setOverlayOpacity(1.0);
        QImage shot(view.size(), QImage::Format_RGB32);
        view.render(&shot);
        QCOMPARE(shot.pixelColor(200, 100).red(), 255);
        QCOMPARE(shot.pixelColor(50, 100), QColor(Qt::black));
        QCOMPARE(shot.pixelColor(350, 100), QColor(Qt::black));
        view.setOverlayVisible(false);
        view.render(&shot);
        QCOMPARE(shot.pixelColor(200, 100), QColor(Qt::black));
    }

    void idealSizeNeverExceedsFrame() {
        VideoView view;
        view.resize(3000, 2000);
        view.setFrameGeometry(QSize(640, 360), 1.0);
        QCOMPARE(view.idealImageSize(), QSize(640, 360));
        view.resize(320, 180);
        QCOMPARE(view.idealImageSize(), (QSizeF(320, 180) * view.devicePixelRatioF()).toSize());
    }
};

QTEST_MAIN(VideoViewTest)
#include "tst_videoview.moc"
