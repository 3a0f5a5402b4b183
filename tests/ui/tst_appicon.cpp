#include "ui/mainwindow/appicon.h"

#include <QApplication>
#include <QImage>
#include <QPixmap>
#include <QtTest>

using namespace saccade;

// The icon is painted, not loaded: check that it is the design at every size a window manager uses.
class TestAppIcon : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everySizeIsPainted() {
        const QIcon icon = appIcon();
        QVERIFY(!icon.isNull());
        const QList<QSize> sizes = icon.availableSizes();
        for (const int side : {16, 32, 48, 128, 256})
            QVERIFY2(sizes.contains(QSize(side, side)), qPrintable(QString::number(side)));
    }

    void theDesignIsDrawn() {
        const QImage image =
            appIcon().pixmap(QSize(128, 128)).toImage().convertToFormat(QImage::Format_ARGB32);
        QCOMPARE(image.size(), QSize(128, 128));
        // Outside the film frame: transparent.
        QCOMPARE(qAlpha(image.pixel(2, 2)), 0);
        // The pupil at the centre is near black.
        const QColor pupil = image.pixelColor(64, 66);
        QVERIFY(pupil.lightness() < 40);
        // The iris ring is the heat map: teal halfway out (green and blue over red).
        const QColor iris = image.pixelColor(64 + 13, 64);
        QVERIFY2(iris.green() > iris.red() && iris.blue() > iris.red(), qPrintable(iris.name()));
        // The white of the eye left of the iris, the film frame's dark body above it.
        QVERIFY(image.pixelColor(30, 64).lightness() > 200);
        QVERIFY(image.pixelColor(64, 30).lightness() < 60);
        QCOMPARE(qAlpha(image.pixel(64, 30)), 255);
    }
};

QTEST_MAIN(TestAppIcon)
#include "tst_appicon.moc"
